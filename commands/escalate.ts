import {
  escalationRef,
  DIRECTIONS,
  ESCALATION_TYPES,
  URGENCY_LEVELS,
  type Direction,
  type EscalationType,
  type UrgencyLevel,
} from "../src/escalations/model.ts";
import type { ButtonId } from "../src/buttons.ts";
import { decisionMessage } from "../src/escalations/note.ts";
import type { EscalationInput } from "../src/escalations/service.ts";
import { checkPreciseRequest } from "../src/escalations/request.ts";
import type { Command, CommandContext, Param, Subcommand, Values } from "../src/kit/command.ts";
import { reply } from "../src/reply.ts";
import { read } from "../src/kit/values.ts";
import { parsePerson } from "../src/kit/mention.ts";
import { platformOfId } from "../src/channel-ref.ts";
import { refArg } from "./params.ts";
import { ref } from "../src/tickets/model.ts";
import { channelLabel } from "../src/outages/model.ts";
import { SHORT_MAX } from "../src/text.ts";

/** `/escalate`: the seven-section note, then arbitration in its thread (rules 7, 8). */

const escalationArg: Param = {
  id: "ref",
  label: "field.escalationRef",
  type: { kind: "ref", prefix: "E" },
  required: true,
};
const text = (id: string, label: Param["label"], required: boolean, rest = false): Param => ({
  id,
  label,
  type: { kind: "text", multiline: !rest },
  required,
  ...(rest ? { rest } : {}),
});

/** The note's values as the escalation service takes them. */
function noteInput(v: Values): EscalationInput {
  return {
    type: read.choice<EscalationType>(v, "type")!,
    direction: read.choice<Direction>(v, "direction")!,
    urgency: read.choice<UrgencyLevel>(v, "urgency")!,
    ...read.texts(v, [
      "targetTeam",
      "why",
      "request",
      "context",
      "facts",
      "evidence",
      "actionsTaken",
      "impact",
      "deadline",
      "recommendation",
    ]),
    ...(v.nextUpdate ? { nextUpdate: read.time(v, "nextUpdate")! } : {}),
  };
}

const note: Subcommand = {
  name: "note",
  aliases: ["note"],
  summary: "cmd.escalate.note",
  buttons: ["ticket_escalate"],
  args: [refArg],
  fields: [
    {
      id: "type",
      label: "field.escalationType",
      type: { kind: "choice", set: "escalationType", values: ESCALATION_TYPES },
      required: true,
    },
    {
      id: "direction",
      label: "field.direction",
      type: { kind: "choice", set: "direction", values: DIRECTIONS },
      required: true,
    },
    { id: "targetTeam", label: "field.targetTeam", type: { kind: "text", max: SHORT_MAX }, required: false },
    text("why", "field.why", false),
    // Seed 003 "Posez une demande précise": refused beside the field, with an example.
    { ...text("request", "field.request", false), check: checkPreciseRequest },
    {
      id: "urgency",
      label: "field.urgencyLevel",
      type: { kind: "choice", set: "urgencyLevel", values: URGENCY_LEVELS },
      required: true,
    },
    { id: "nextUpdate", label: "field.nextUpdate", type: { kind: "time", future: true }, required: false },
    text("context", "field.context", false),
    text("facts", "field.facts", false),
    text("evidence", "field.evidence", false),
    text("actionsTaken", "field.actionsTaken", false),
    text("impact", "field.escalationImpact", false),
    { id: "deadline", label: "field.deadline", type: { kind: "text", max: SHORT_MAX }, required: false },
    text("recommendation", "field.recommendation", false),
  ],
  formTitle: "form.title.escalate",
  precheck: async (v, ctx) => {
    await ctx.services.tickets.checkAllowed(ctx.actor, read.ref(v), "escalate", "escalate");
    // Nobody fills in a note that has nowhere to go on their platform.
    ctx.services.escalations.channelFor(ctx.actor);
  },
  // The facts are proposed from the recorded timelines (ticket, linked outage), to edit before sending.
  defaults: async (v, ctx) => ({ facts: await ctx.services.escalations.factsDraft(read.ref(v), ctx.texts) }),
  // The 3W check at submission: what is missing comes back beside its fields, the form kept as typed.
  validate: async (v, ctx) => void (await ctx.services.escalations.prepareNote(ctx.actor, read.ref(v), noteInput(v))),
  async run(v, ctx) {
    const e = await ctx.services.escalations.escalate(ctx.actor, read.ref(v), noteInput(v));
    return reply.text(
      ctx.texts.t("escalation.sent", {
        ref: escalationRef(e.id),
        channel: channelLabel({ platform: e.platform, channel: e.channel }),
        subject: e.subject,
      }),
      e.ticketId,
    );
  },
};

const simple = (
  name: string,
  aliases: string[],
  summary: Param["label"],
  extra: Param[],
  run: Subcommand["run"],
  step: "ack" | "info" | "answer" | undefined,
  buttons: readonly ButtonId[] = [],
): Subcommand => ({
  name,
  aliases,
  summary,
  buttons,
  args: [escalationArg, ...extra],
  // Nobody fills in a form for an escalation that does not exist, is already decided, or that the
  // person may not act on (the author does not acknowledge; only the ticket's owner answers).
  ...(step
    ? {
        precheck: async (v: Values, ctx: CommandContext) =>
          void (await ctx.services.escalations.checkStep(ctx.actor, read.ref(v), step)),
      }
    : {}),
  run,
});

const ack = simple(
  "ack",
  ["prise-en-charge", "accuse"],
  "cmd.escalate.ack",
  [{ id: "eta", label: "field.ackEta", type: { kind: "time", future: true }, required: true }],
  async (v, ctx) => {
    const e = await ctx.services.escalations.acknowledge(ctx.actor, read.ref(v), read.time(v, "eta"));
    const t = await ctx.services.tickets.get(e.ticketId);
    return reply.privateText(
      ctx.texts.t("escalation.acknowledged_contact", {
        who: ctx.actor.name,
        ref: escalationRef(e.id),
        eta: ctx.texts.moments()(e.ackEta!),
        owner: t.ownerName ?? e.ownerName,
      }),
    );
  },
  "ack",
  ["escalation_ack"],
);

const info = simple(
  "info",
  ["question"],
  "cmd.escalate.info",
  [text("question", "field.question", true, true)],
  async (v, ctx) => {
    const e = await ctx.services.escalations.requestInfo(ctx.actor, read.ref(v), read.str(v, "question"));
    return reply.privateText(
      ctx.texts.t("escalation.info_requested", {
        who: ctx.actor.name,
        owner: e.ownerName,
        question: read.str(v, "question") ?? "",
        ref: escalationRef(e.id),
      }),
    );
  },
  "info",
  ["escalation_info"],
);

const answer = simple(
  "answer",
  ["repondre", "répondre"],
  "cmd.escalate.answer",
  [text("answer", "field.answer", true, true)],
  async (v, ctx) => {
    const e = await ctx.services.escalations.answerInfo(ctx.actor, read.ref(v), read.str(v, "answer"));
    return reply.privateText(
      ctx.texts.t("escalation.info_provided", {
        who: ctx.actor.name,
        answer: read.str(v, "answer") ?? "",
        ref: escalationRef(e.id),
      }),
    );
  },
  "answer",
);

const decide: Subcommand = {
  name: "decide",
  aliases: ["trancher", "decider", "décider"],
  summary: "cmd.escalate.decide",
  buttons: ["escalation_decide"],
  args: [
    escalationArg,
    { id: "option", label: "field.option", type: { kind: "text", max: SHORT_MAX }, required: true },
  ],
  fields: [
    text("rationale", "field.rationale", true),
    { id: "owner", label: "field.decisionOwner", type: { kind: "text", max: SHORT_MAX }, required: true },
  ],
  formTitle: "cmd.escalate.decide",
  precheck: (v, ctx) => ctx.services.escalations.checkDecision(ctx.actor, read.ref(v)),
  async run(v, ctx) {
    // "@bob", "<@U123|bob>", "<@123>": a person, who becomes the owner once they accept (handover);
    // any other text ("Facturation N2") says who carries what follows, the owner staying the contact.
    const ownerText = read.str(v, "owner") ?? "";
    // The same rule as every person field (parsePerson): a mention, or `@name` on the shell, is a
    // reachable user; "@dan" typed in a Slack text field is not one (Slack sends mentions as ids).
    const person = parsePerson(ownerText, platformOfId(ctx.actor.id));
    const newOwner = person?.id ? { id: person.id, name: person.name } : undefined;
    const e = await ctx.services.escalations.decide(ctx.actor, read.ref(v), {
      ...read.texts(v, ["option", "rationale", "owner"]),
      ...(newOwner ? { newOwner } : {}),
    });
    const t = await ctx.services.tickets.get(e.ticketId);
    // The decision is posted in the note's thread (the public record); the manager gets it privately.
    const decided = decisionMessage(ctx.texts, e, t.ownerName ?? e.ownerName);
    const handover = t.pendingOwnerName
      ? [
          {
            type: "text" as const,
            text: ctx.texts.t("escalation.handover_started", {
              ticket: ref(t.id),
              to: t.pendingOwnerName,
              owner: t.ownerName ?? "",
            }),
          },
        ]
      : [];
    return reply.private([...decided.blocks, ...handover]);
  },
};

const announce = simple(
  "announce",
  ["annoncer"],
  "cmd.escalate.announce",
  [],
  async (v, ctx) => {
    const { ticket, text: said } = await ctx.services.escalations.announce(ctx.actor, read.ref(v));
    return reply.text(ctx.texts.t("escalation.done", { text: said }), ticket.id);
  },
  undefined,
);

export const escalateCommand: Command = {
  name: "escalate",
  aliases: ["escalade", "escalader"],
  summary: "cmd.escalate",
  subcommands: [note, ack, info, answer, decide, announce],
  whenText: "note",
};
