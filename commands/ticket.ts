import { DateTime } from "luxon";
import type { Command, CommandContext, Subcommand } from "../src/kit/command.ts";
import { reply, type Block, type Reply } from "../src/reply.ts";
import { RelaisError } from "../src/errors.ts";
import type { Outage } from "../src/outages/model.ts";
import { read } from "../src/kit/values.ts";
import {
  ref,
  type ResolutionKind,
  type Stage,
  type Profile,
  type Ticket,
  type WaitingOn,
} from "../src/tickets/model.ts";
import type { Impact, Priority, Urgency, Workaround } from "../src/tickets/priority.ts";
import type { ListFilter } from "../src/tickets/service.ts";
import type { Texts } from "../src/i18n/index.ts";
import { priorityReason, queueRow, summaryBlocks } from "../src/tickets/views.ts";
import { draftRef } from "../src/tickets/one-voice.ts";
import { outageRef } from "../src/outages/model.ts";
import { followUp } from "../src/kit/follow-up.ts";
import { p, refArg } from "./params.ts";
import { durationText } from "../src/sla/duration-text.ts";
import type { Action } from "../src/tickets/lifecycle.ts";
import type { AuthorityAction } from "../src/authority.ts";

/** `/ticket`: the whole ticket lifecycle (PRODUCT.md rules 1, 2, 4, 5, 11, 12). */

const now = (ctx: CommandContext) => ctx.services.clock.now();

/** The precheck of a ticket action: the lifecycle and the authority table, before any form opens. */
const allowedFor =
  (action: Action & AuthorityAction): Subcommand["precheck"] =>
  async (v, ctx) =>
    void (await ctx.services.tickets.checkAllowed(ctx.actor, read.ref(v), action, action));

const create: Subcommand = {
  name: "new",
  aliases: ["nouveau"],
  summary: "cmd.ticket.new",
  args: [p.title],
  fields: [
    p.requester,
    p.department,
    p.workstation,
    p.impact,
    p.urgency,
    p.workaround,
    p.workaroundText,
    p.since,
    p.changed,
    p.reproducible,
    p.scope,
    p.errorMessage,
    p.profile,
  ],
  formTitle: "form.title.new",
  async run(v, ctx) {
    const x = ctx.texts;
    const impact = read.choice<Impact>(v, "impact");
    const urgency = read.choice<Urgency>(v, "urgency");
    const workaround = read.choice<Workaround>(v, "workaround");
    // The matrix needs all three; a form left partly empty falls back to the default priority.
    const assessment = impact && urgency && workaround ? { impact, urgency, workaround } : undefined;
    const requester = read.person(v, "requester");
    const t = await ctx.services.tickets.create(ctx.actor, {
      title: read.str(v, "title") ?? "",
      ...(assessment ? { assessment } : {}),
      ...(requester ? { requester: requester.name } : {}),
      ...(requester?.id ? { requesterId: requester.id } : {}),
      ...read.texts(v, [
        "department",
        "workstation",
        "workaroundText",
        "since",
        "changed",
        "reproducible",
        "scope",
        "errorMessage",
      ]),
      ...(v.profile ? { profile: read.choice<Profile>(v, "profile") } : {}),
    });
    const at = x.moments();
    const blocks: Block[] = [
      {
        type: "text",
        text: x.t("ticket.created", {
          ref: ref(t.id),
          title: t.title,
          priority: t.priority,
          reason: priorityReason(x, t),
          due: at(t.firstResponseDue),
        }),
      },
    ];
    if (t.requesterId)
      blocks.push({ type: "context", text: x.t("ticket.requester_told", { name: t.requester ?? "" }) });
    if (t.clockStart > t.createdAt) {
      const cutoff = ctx.services.policy.cutoff ?? "";
      blocks.push({
        type: "context",
        text: x.t("ticket.created_after_cutoff", { cutoff, start: at(t.clockStart) }),
      });
    }
    if (!assessment)
      blocks.push({
        type: "context",
        text: x.t("ticket.created_default_priority", { priority: t.priority, ref: ref(t.id) }),
      });
    const same = await ctx.services.tickets.repetitionOf(t);
    if (same.length > 0) {
      blocks.push({
        type: "context",
        text: x.t("ticket.repetition", {
          n: same.length + 1,
          source: t.requester ?? t.department ?? "",
          refs: same.map((s) => ref(s.id)).join(", "),
          window: durationText(x, ctx.services.policy.repetition.window),
          ref: ref(t.id),
        }),
      });
      // Repetition suggests the link: the new ticket under the earliest one of the same problem.
      const parent = same.reduce((a, b) => (a.id < b.id ? a : b));
      blocks.push({
        type: "context",
        text: x.t("link.suggest", { commands: linkCommand(x.lang, t.id, parent.id) }),
      });
    }
    return reply.public(blocks, t.id);
  },
};

/** Queue rows per page of `/ticket list`. */
const PAGE = 50;

/** `2`, `page 2`, `p2`, `p. 2`: a page number from 1; anything else is refused with an example. */
const PAGE_WORDS = /^(?:page|p\.?)?\s*(\d{1,6})$/i;
function pageNumber(text: string): number {
  const m = PAGE_WORDS.exec(text.trim());
  const n = m ? Number(m[1]) : 0;
  if (n < 1) throw new RelaisError("invalid_page", { value: text });
  return n;
}

/** The filter as typed in each language (what `list.more` suggests for the next page). */
const FILTER_WORD: Record<"fr" | "en", Record<ListFilter, string>> = {
  fr: { open: "ouverts", mine: "mes", all: "tous", P1: "P1", P2: "P2", P3: "P3" },
  en: { open: "open", mine: "mine", all: "all", P1: "P1", P2: "P2", P3: "P3" },
};

/** A count that may be a floor ("1000+"): rounded down to the thousand, as the queue says it. */
const countText = (n: number, exact: boolean) => (exact ? String(n) : `${Math.floor(n / 1000) * 1000}+`);

const list: Subcommand = {
  name: "list",
  aliases: ["liste"],
  summary: "cmd.ticket.list",
  args: [
    {
      id: "filter",
      label: "field.filter",
      type: {
        kind: "choice",
        set: "filter",
        values: ["open", "mine", "all", "P1", "P2", "P3"],
        aliases: { mes: "mine", moi: "mine", tout: "all", ouverts: "open" },
      },
      required: false,
    },
    // `/ticket list all page 2`: the queue a page at a time, never every open ticket at once.
    {
      id: "page",
      label: "field.page",
      type: { kind: "text", max: 20 },
      required: false,
      rest: true,
      check: (text) => void pageNumber(text),
    },
  ],
  async run(v, ctx) {
    const x = ctx.texts;
    const filter = read.choice<ListFilter>(v, "filter") ?? "open";
    const pageText = read.str(v, "page");
    const page = pageText === undefined ? 1 : pageNumber(pageText);
    const { tickets, total, exact } = await ctx.services.tickets.list(ctx.actor, filter, PAGE, page);
    const label = x.t(`choice.filter.${filter}`);
    if (total === 0) return reply.private([{ type: "text", text: x.t("list.empty", { filter: label }) }]);
    const offset = (page - 1) * PAGE;
    // Past the last page: the count is exact there (it reads beyond the page's start).
    if (tickets.length === 0)
      return reply.private([
        { type: "text", text: x.t("list.no_page", { page, filter: label, pages: Math.ceil(total / PAGE) }) },
      ]);
    const at = now(ctx);
    const count = countText(total, exact);
    const blocks: Block[] = [
      {
        type: "header",
        text:
          page === 1
            ? x.t("list.title", { filter: label, count })
            : x.t("list.title_page", { filter: label, count, page }),
      },
      { type: "list", items: tickets.map((t) => queueRow(x, t, ctx.services.sla, at)) },
    ];
    const more = total - offset - tickets.length;
    if (more > 0) {
      const next = `/ticket ${x.lang === "fr" ? "liste" : "list"} ${FILTER_WORD[x.lang][filter]} page ${page + 1}`;
      blocks.push({ type: "context", text: x.t("list.more", { more: countText(more, exact), command: next }) });
    }
    return reply.private(blocks);
  },
};

const show: Subcommand = {
  name: "show",
  aliases: ["voir"],
  summary: "cmd.ticket.show",
  args: [refArg],
  async run(v, ctx) {
    // A show is a follow-up (src/kit/follow-up.ts): "status unchanged" the second time the same day.
    const { ticket: t, opts } = await followUp(ctx.services, ctx.actor, read.ref(v));
    return reply.private(summaryBlocks(ctx.texts, t, ctx.services.sla, now(ctx), opts));
  },
};

/** `/ticket lier T-43 T-42` in the user's language (what the repetition flag and the parser suggest). */
export function linkCommand(lang: "fr" | "en", child: number, parent: number): string {
  return `/ticket ${lang === "fr" ? "lier" : "link"} ${ref(child)} ${ref(parent)}`;
}

const link: Subcommand = {
  name: "link",
  aliases: ["lier", "rattacher"],
  summary: "cmd.ticket.link",
  args: [
    { ...refArg, label: "field.childRef" },
    { id: "parent", label: "field.parentRef", type: { kind: "ref" }, required: true },
  ],
  async run(v, ctx) {
    const { child, parent } = await ctx.services.tickets.link(ctx.actor, read.ref(v), read.ref(v, "parent"));
    return reply.text(ctx.texts.t("link.linked", { ref: ref(child.id), parent: ref(parent.id) }), child.id);
  },
};

const take: Subcommand = {
  name: "take",
  aliases: ["prendre"],
  summary: "cmd.ticket.take",
  buttons: ["ticket_take"],
  // A manager's reason takes someone else's ticket at once; without one, it is a handover request.
  args: [refArg, p.reason],
  async run(v, ctx) {
    const before = await ctx.services.tickets.get(read.ref(v));
    const { ticket: t, requested } = await ctx.services.voice.take(ctx.actor, before.id, read.str(v, "reason"));
    const x = ctx.texts;
    if (requested)
      return reply.private([
        { type: "text", text: x.t("voice.take_request_sent", { ref: ref(t.id), owner: t.ownerName ?? "" }) },
      ]);
    const previous = before.ownerId && before.ownerId !== ctx.actor.id ? before.ownerName : undefined;
    return reply.text(
      previous
        ? x.t("ticket.taken_from", { ref: ref(t.id), owner: t.ownerName, previous })
        : x.t("ticket.taken", { ref: ref(t.id), owner: t.ownerName }),
      t.id,
    );
  },
};

const update: Subcommand = {
  name: "update",
  aliases: ["maj", "point"],
  summary: "cmd.ticket.update",
  buttons: ["ticket_update"],
  args: [refArg, p.stage, p.nextAction],
  fields: [p.blocker, p.lastAction, p.nextUpdate],
  formTitle: "form.title.update",
  precheck: async (v, ctx) =>
    void (await ctx.services.tickets.checkAllowed(ctx.actor, read.ref(v), "update", "update")),
  async run(v, ctx) {
    const x = ctx.texts;
    // One voice: someone other than the owner writes a draft for the owner (rule 6).
    const { ticket: t, draft } = await ctx.services.voice.update(ctx.actor, read.ref(v), {
      stage: read.choice<Stage>(v, "stage")!,
      nextAction: read.str(v, "nextAction") ?? "",
      ...read.texts(v, ["blocker", "lastAction"]),
      ...(v.nextUpdate ? { nextUpdate: read.time(v, "nextUpdate")! } : {}),
    });
    if (draft)
      return reply.private([
        {
          type: "text",
          text: x.t("voice.draft_saved", { owner: t.ownerName ?? "", ref: ref(t.id), draft: draftRef(draft.id) }),
        },
      ]);
    return updatedReply(x, t);
  },
};

const priority: Subcommand = {
  name: "priority",
  aliases: ["priorite", "priorité"],
  summary: "cmd.ticket.priority",
  precheck: allowedFor("priority"),
  args: [refArg, p.priority, p.priorityReason],
  // Same priority, or no reason: said beside the field at submission, the form kept as typed.
  validate: async (v, ctx) =>
    void (await ctx.services.tickets.checkPriorityChange(
      ctx.actor,
      read.ref(v),
      read.choice<Priority>(v, "priority")!,
      read.str(v, "reason"),
    )),
  async run(v, ctx) {
    const x = ctx.texts;
    const id = read.ref(v);
    const from = (await ctx.services.tickets.get(id)).priority;
    const { ticket: t, criterion } = await ctx.services.tickets.changePriority(
      ctx.actor,
      id,
      read.choice<Priority>(v, "priority")!,
      read.str(v, "reason"),
    );
    const due = t.firstResponseAt ? (t.nextUpdateDue ?? t.resolutionDue) : t.firstResponseDue;
    return reply.text(
      x.t("ticket.priority_changed", {
        ref: ref(t.id),
        from,
        to: t.priority,
        reason: t.priorityReason,
        criterion: x.t(`criterion.${criterion}`),
        due: due ? x.moments()(due) : x.t("sla.asap"),
      }),
      t.id,
    );
  },
};

const wait: Subcommand = {
  name: "wait",
  aliases: ["attente", "attendre"],
  summary: "cmd.ticket.wait",
  precheck: allowedFor("wait"),
  args: [refArg, p.waitingOn, p.waitingFor],
  async run(v, ctx) {
    const x = ctx.texts;
    const on = read.choice<WaitingOn>(v, "waitingOn")!;
    const t = await ctx.services.tickets.wait(ctx.actor, read.ref(v), on, read.str(v, "waitingFor"));
    const key = t.pausedAt ? "ticket.waiting_paused" : "ticket.waiting";
    return reply.text(x.t(key, { ref: ref(t.id), on: x.t(`choice.waitingOn.${on}`), what: t.waitingFor }), t.id);
  },
};

const resolve: Subcommand = {
  name: "resolve",
  aliases: ["resoudre", "résoudre"],
  summary: "cmd.ticket.resolve",
  buttons: ["ticket_resolve"],
  args: [refArg, p.kind, p.note],
  fields: [p.alternative],
  formTitle: "form.title.resolve",
  precheck: allowedFor("resolve"),
  async run(v, ctx) {
    const x = ctx.texts;
    const t = await ctx.services.tickets.resolve(ctx.actor, read.ref(v), {
      kind: read.choice<ResolutionKind>(v, "kind")!,
      ...read.texts(v, ["note", "alternative"]),
    });
    const blocks: Block[] = [
      {
        type: "text",
        text: x.t("ticket.resolved", {
          ref: ref(t.id),
          kind: x.t(`choice.kind.${t.resolutionKind!}`),
          autoClose: x.moments()(t.autoCloseAt!),
        }),
      },
    ];
    if (t.alternative)
      blocks.push({ type: "context", text: x.t("ticket.resolved_alternative", { alternative: t.alternative }) });
    return reply.public(blocks, t.id);
  },
};

const confirm: Subcommand = {
  name: "confirm",
  aliases: ["confirmer"],
  summary: "cmd.ticket.confirm",
  precheck: allowedFor("confirm"),
  args: [refArg],
  async run(v, ctx) {
    const t = await ctx.services.tickets.confirm(ctx.actor, read.ref(v));
    return reply.text(ctx.texts.t("ticket.confirmed_by", { ref: ref(t.id), who: ctx.actor.name }), t.id);
  },
};

const reopen: Subcommand = {
  name: "reopen",
  aliases: ["rouvrir"],
  summary: "cmd.ticket.reopen",
  precheck: allowedFor("reopen"),
  args: [refArg, p.reason],
  async run(v, ctx) {
    const t = await ctx.services.tickets.reopen(ctx.actor, read.ref(v), read.str(v, "reason"));
    return reply.text(
      ctx.texts.t("ticket.reopened", { ref: ref(t.id), nextUpdate: ctx.texts.moments()(t.nextUpdateDue!) }),
      t.id,
    );
  },
};

const close: Subcommand = {
  name: "close",
  aliases: ["fermer", "clore"],
  summary: "cmd.ticket.close",
  precheck: allowedFor("close"),
  args: [refArg, p.note],
  async run(v, ctx) {
    const t = await ctx.services.tickets.close(ctx.actor, read.ref(v), read.str(v, "note"));
    return reply.text(ctx.texts.t("ticket.closed", { ref: ref(t.id) }), t.id);
  },
};

const draftArg = { id: "ref", label: "field.draftRef", type: { kind: "ref", prefix: "D" }, required: true } as const;

const approve: Subcommand = {
  name: "approve",
  aliases: ["publier"],
  summary: "cmd.ticket.approve",
  buttons: ["draft_approve"],
  args: [draftArg],
  async run(v, ctx) {
    return published(ctx, read.ref(v), await ctx.services.voice.approve(ctx.actor, read.ref(v)));
  },
};

/** Publishing a draft's result: its ticket's thread, or a private confirmation for an outage. */
function published(ctx: CommandContext, draftId: number, r: { ticket?: Ticket; outage?: Outage }): Reply {
  const x = ctx.texts;
  const t = r.ticket;
  if (!t)
    return reply.private([
      { type: "text", text: x.t("voice.draft_approved", { draft: draftRef(draftId), ref: outageRef(r.outage!.id) }) },
    ]);
  return updatedReply(x, t);
}

/** The published status update, in the ticket's thread: stage, blocker, next action, next update. */
function updatedReply(x: Texts, t: Ticket): Reply {
  return reply.text(
    x.t("ticket.updated", {
      ref: ref(t.id),
      stage: x.t(`choice.stage.${t.stage!}`),
      blocker: t.blocker ?? x.t("ticket.none"),
      nextAction: t.nextAction,
      nextUpdate: x.moments()(t.nextUpdateDue!),
    }),
    t.id,
  );
}

/** The owner corrects a colleague's draft in the update form (filled in with it), then publishes it. */
const edit: Subcommand = {
  name: "edit",
  aliases: ["modifier"],
  summary: "cmd.ticket.edit",
  buttons: ["draft_edit"],
  args: [draftArg],
  fields: [p.stage, { ...p.nextAction, rest: false }, p.blocker, p.lastAction, p.nextUpdate],
  formTitle: "cmd.ticket.edit",
  precheck: async (v, ctx) => void (await ctx.services.voice.draftFor(ctx.actor, read.ref(v))),
  async defaults(v, ctx) {
    const d = await ctx.services.voice.draftFor(ctx.actor, read.ref(v));
    const at = d.payload.nextUpdate
      ? DateTime.fromISO(d.payload.nextUpdate).setZone(ctx.texts.zone).toFormat("yyyy-MM-dd HH:mm")
      : undefined;
    return {
      stage: d.payload.stage,
      nextAction: d.payload.nextAction,
      ...(d.payload.blocker ? { blocker: d.payload.blocker } : {}),
      ...(d.payload.lastAction ? { lastAction: d.payload.lastAction } : {}),
      ...(at ? { nextUpdate: at } : {}),
    };
  },
  async run(v, ctx) {
    const id = read.ref(v);
    const next = read.time(v, "nextUpdate");
    const result = await ctx.services.voice.approve(ctx.actor, id, {
      stage: read.choice<Stage>(v, "stage")!,
      nextAction: read.str(v, "nextAction") ?? "",
      ...read.texts(v, ["blocker", "lastAction"]),
      ...(next ? { nextUpdate: next.toISO()! } : {}),
    });
    return published(ctx, id, result);
  },
};

const reject: Subcommand = {
  name: "reject",
  aliases: ["refuser"],
  summary: "cmd.ticket.reject",
  buttons: ["draft_reject"],
  args: [draftArg, p.reason],
  async run(v, ctx) {
    const d = await ctx.services.voice.reject(ctx.actor, read.ref(v), read.str(v, "reason"));
    return reply.private([
      {
        type: "text",
        text: ctx.texts.t("voice.draft_rejected", {
          draft: draftRef(d.id),
          ref: ctx.services.voice.subjectOf(d),
          owner: ctx.actor.name,
          reason: read.str(v, "reason") ?? "—",
        }),
      },
    ]);
  },
};

export const ticketCommand: Command = {
  name: "ticket",
  aliases: [],
  summary: "cmd.ticket",
  subcommands: [
    create,
    list,
    show,
    link,
    take,
    update,
    priority,
    wait,
    resolve,
    confirm,
    reopen,
    close,
    approve,
    edit,
    reject,
  ],
  whenEmpty: "new",
  whenText: "new",
};
