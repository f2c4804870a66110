import type { DateTime } from "luxon";
import type { Command, Param, Subcommand, Values } from "../src/kit/command.ts";
import type { Texts } from "../src/i18n/index.ts";
import { undeliveredLines } from "../src/outbox/delivery.ts";
import { reply } from "../src/reply.ts";
import { read } from "../src/kit/values.ts";
import { channelLabel, outageRef, type Outage } from "../src/outages/model.ts";
import { ref, type Stage, type Ticket } from "../src/tickets/model.ts";
import type { Impact, Urgency, Workaround } from "../src/tickets/priority.ts";
import { p } from "./params.ts";
import { SHORT_MAX, TITLE_MAX, title } from "../src/text.ts";
import { draftRef } from "../src/tickets/one-voice.ts";

/** `/outage`: declare, keep every affected channel informed on cadence, resolve into a report (rule 9). */

const outageArg: Param = { id: "ref", label: "field.outageRef", type: { kind: "ref", prefix: "INC" }, required: true };
const text = (id: string, label: Param["label"], required: boolean, multiline = false): Param => ({
  id,
  label,
  type: { kind: "text", multiline },
  required,
});

/** The resolve form's follow-up section is filled in (its action given). */
const hasFollowUp = (v: Values) => v.followUpAction !== undefined;

const declare: Subcommand = {
  name: "declare",
  aliases: ["declarer", "déclarer"],
  summary: "cmd.outage.declare",
  buttons: ["ticket_declare"],
  // `/outage declare T-12` (or the ticket card's button): the form is filled in from the ticket.
  args: [{ id: "ref", label: "field.fromTicket", type: { kind: "ref" }, required: false }],
  fields: [
    { ...p.title, rest: false },
    { ...text("services", "field.services", true), type: { kind: "text", max: SHORT_MAX } },
    text("impactText", "field.impactText", true),
    { ...p.impact, required: true },
    { ...p.urgency, required: true },
    { ...p.workaround, required: true },
    p.workaroundText,
    // Picked, not typed (issue 15): stored by id, so a post never goes to a name the platform refuses.
    { id: "channels", label: "field.channels", type: { kind: "channel", many: true }, required: true },
  ],
  formTitle: "form.title.declare",
  precheck: async (v, ctx) => {
    if (v.ref !== undefined) await ctx.services.tickets.checkDeclarable(ctx.actor, read.ref(v));
  },
  async defaults(v, ctx) {
    if (v.ref === undefined) return {};
    const t = await ctx.services.tickets.checkDeclarable(ctx.actor, read.ref(v));
    const d: Record<string, string | undefined> = {
      title: t.title,
      impactText: t.scope,
      impact: t.impact,
      urgency: t.urgency,
      workaround: t.workaround,
      workaroundText: t.workaroundText,
    };
    return Object.fromEntries(Object.entries(d).filter((e): e is [string, string] => e[1] !== undefined));
  },
  async run(v, ctx) {
    const x = ctx.texts;
    const from = v.ref === undefined ? undefined : read.ref(v);
    const o = await ctx.services.outages.declare(ctx.actor, {
      title: read.str(v, "title") ?? "",
      services: read.str(v, "services") ?? "",
      impact: read.str(v, "impactText") ?? "",
      assessment: {
        impact: read.choice<Impact>(v, "impact")!,
        urgency: read.choice<Urgency>(v, "urgency")!,
        workaround: read.choice<Workaround>(v, "workaround")!,
      },
      ...(v.workaroundText ? { workaround: read.str(v, "workaroundText") } : {}),
      channels: read.channels(v, "channels") ?? [],
      ...(ctx.channel ? { room: ctx.channel } : {}),
      ...(from !== undefined ? { fromTicket: from } : {}),
    });
    // Queued, not sent: the outbox sends them; a post refused for good is told to the owner
    // privately, naming the channel (src/outbox/delivery.ts).
    const declared = x.t("outage.declared", {
      ref: outageRef(o.id),
      count: o.channels.length,
      channels: o.channels.map(channelLabel).join(", "),
      next: x.moments()(o.nextUpdateDue),
    });
    if (from === undefined) return reply.text(declared);
    return reply.public(
      [
        { type: "text", text: declared },
        { type: "context", text: x.t("outage.declared_from", { ref: outageRef(o.id), ticket: ref(from) }) },
      ],
      from,
    );
  },
};

const update: Subcommand = {
  name: "update",
  aliases: ["maj", "point"],
  summary: "cmd.outage.update",
  args: [outageArg, p.stage, p.nextAction],
  fields: [
    p.blocker,
    text("cause", "field.cause", false, true),
    { id: "estimate", label: "field.estimate", type: { kind: "time", future: true }, required: false },
    p.nextUpdate,
    text("reason", "field.updateReason", false),
  ],
  formTitle: "form.title.outage_update",
  precheck: async (v, ctx) => void (await ctx.services.outages.getOngoing(read.ref(v))),
  async run(v, ctx) {
    const x = ctx.texts;
    // One voice: the owner's update goes out; anyone else's is a draft for the owner (rule 6).
    const { outage: o, draft } = await ctx.services.voice.updateOutage(ctx.actor, read.ref(v), {
      stage: read.choice<Stage>(v, "stage")!,
      nextAction: read.str(v, "nextAction") ?? "",
      ...read.texts(v, ["blocker", "cause", "reason"]),
      ...(v.estimate ? { estimate: read.time(v, "estimate")! } : {}),
      ...(v.nextUpdate ? { nextUpdate: read.time(v, "nextUpdate")! } : {}),
    });
    if (draft)
      return reply.private([
        {
          type: "text",
          text: x.t("voice.draft_saved", { owner: o.ownerName, ref: outageRef(o.id), draft: draftRef(draft.id) }),
        },
      ]);
    return reply.text(
      x.t("outage.updated", {
        ref: outageRef(o.id),
        count: o.channels.length,
        channels: o.channels.map(channelLabel).join(", "),
        next: x.moments()(o.nextUpdateDue),
      }),
    );
  },
};

/**
 * A follow-up action (seed 001 "Suivi"): what, who, by when. One line (`/outage suivi INC-3
 * Ajouter une alerte disque @ana +3j`: the action runs up to the owner's mention) or the form; the
 * same three fields are the resolve form's optional follow-up section.
 */
const followUpParams = {
  action: {
    id: "followUpAction",
    label: "field.followUpAction",
    type: { kind: "text", max: TITLE_MAX },
    required: true,
    rest: true,
    // The action is the follow-up ticket's title: the title's rule, beside the field.
    check: (t) => void title(t),
  },
  owner: { id: "followUpOwner", label: "field.followUpOwner", type: { kind: "person" }, required: true },
  // Checked by the domain (FollowUps.checkInput), which says "nothing was created".
  due: { id: "followUpDue", label: "field.followUpDue", type: { kind: "time" }, required: true, rest: true },
} satisfies Record<string, Param>;

/** The follow-up as typed, for FollowUps (one path for the command and the resolve form). */
const followUpInput = (v: Values) => ({
  ...(v.followUpAction !== undefined ? { action: read.str(v, "followUpAction") } : {}),
  ...(v.followUpOwner !== undefined ? { owner: read.person(v, "followUpOwner") } : {}),
  ...(v.followUpDue !== undefined ? { due: read.time(v, "followUpDue") } : {}),
});

/** What the person who added a follow-up reads: its ticket, owner, due date and reminder. */
function followUpAdded(x: Texts, t: Ticket, o: Outage, remindAt: DateTime | undefined): string {
  const at = x.moments();
  return x.t("followup.added", {
    ref: ref(t.id),
    outage: outageRef(o.id),
    action: t.title,
    owner: t.ownerName ?? "—",
    due: at(t.dueAt!),
    reminder: remindAt ? x.t("followup.reminder_at", { at: at(remindAt) }) : x.t("followup.no_reminder"),
  });
}

const followup: Subcommand = {
  name: "followup",
  aliases: ["suivi"],
  summary: "cmd.outage.followup",
  args: [outageArg, followUpParams.action, followUpParams.owner, followUpParams.due],
  formTitle: "form.title.outage_followup",
  precheck: async (v, ctx) => void (await ctx.services.followUps.check(ctx.actor, read.ref(v))),
  validate: async (v, ctx) => void ctx.services.followUps.checkInput(followUpInput(v)),
  async run(v, ctx) {
    const f = ctx.services.followUps;
    const { ticket, outage } = await f.add(ctx.actor, read.ref(v), followUpInput(v));
    return reply.text(followUpAdded(ctx.texts, ticket, outage, f.remindAt(ticket.dueAt!)));
  },
};

const resolve: Subcommand = {
  name: "resolve",
  aliases: ["retablir", "rétablir", "resoudre", "résoudre"],
  summary: "cmd.outage.resolve",
  args: [outageArg],
  fields: [
    text("whatHappened", "field.whatHappened", true, true),
    text("result", "field.result", true, true),
    text("prevention", "field.prevention", false, true),
    text("followUp", "field.followUp", false, true),
    // The optional follow-up section: an action, and then its owner and due date are required.
    { ...followUpParams.action, required: false, rest: false },
    { ...followUpParams.owner, required: false, requiredIf: hasFollowUp },
    { ...followUpParams.due, required: false, rest: false, requiredIf: hasFollowUp },
  ],
  formTitle: "form.title.outage_resolve",
  precheck: (v, ctx) => ctx.services.outages.checkResolvable(ctx.actor, read.ref(v)),
  validate: async (v, ctx) => {
    if (hasFollowUp(v)) ctx.services.followUps.checkInput(followUpInput(v));
  },
  async run(v, ctx) {
    const x = ctx.texts;
    const f = ctx.services.followUps;
    // A bad follow-up section refuses the whole form before anything is written.
    if (hasFollowUp(v)) f.checkInput(followUpInput(v));
    const o = await ctx.services.outages.resolve(ctx.actor, read.ref(v), {
      whatHappened: read.str(v, "whatHappened") ?? "",
      result: read.str(v, "result") ?? "",
      ...read.texts(v, ["prevention", "followUp"]),
    });
    const added = hasFollowUp(v) ? await f.add(ctx.actor, o.id, followUpInput(v)) : undefined;
    const report = await ctx.services.outages.report(o, x);
    return reply.public([
      { type: "text", text: x.t("outage.resolved_reply", { ref: outageRef(o.id) }) },
      ...(added
        ? [{ type: "text" as const, text: followUpAdded(x, added.ticket, o, f.remindAt(added.ticket.dueAt!)) }]
        : []),
      { type: "text", text: report },
    ]);
  },
};

const report: Subcommand = {
  name: "report",
  aliases: ["rapport"],
  summary: "cmd.outage.report",
  args: [outageArg],
  async run(v, ctx) {
    return reply.private([
      { type: "text", text: await ctx.services.outages.reportFor(ctx.actor, read.ref(v), ctx.texts) },
    ]);
  },
};

const list: Subcommand = {
  name: "list",
  aliases: ["liste"],
  summary: "cmd.outage.list",
  args: [],
  async run(_v, ctx) {
    const x = ctx.texts;
    const outages = await ctx.services.outages.ongoing();
    if (outages.length === 0) return reply.private([{ type: "text", text: x.t("outage.list_empty") }]);
    const at = x.moments();
    return reply.private([
      { type: "header", text: x.t("outage.list_title", { count: outages.length }) },
      {
        type: "list",
        items: await Promise.all(
          outages.map(async (o) => {
            const row = x.t("outage.list_row", {
              ref: outageRef(o.id),
              priority: o.priority,
              title: o.title,
              owner: o.ownerName,
              next: at(o.nextUpdateDue),
            });
            // Posts of the outage that did not go out when promised, under its row.
            const problems = undeliveredLines(x, await ctx.services.delivery.problems(outageRef(o.id)), at);
            return [row, ...problems.map((p) => `    ${p}`)].join("\n");
          }),
        ),
      },
    ]);
  },
};

export const outageCommand: Command = {
  name: "outage",
  aliases: ["panne"],
  summary: "cmd.outage",
  subcommands: [declare, update, resolve, followup, report, list],
  whenEmpty: "list",
};
