import { RelaisError } from "../src/errors.ts";
import type { Command, Param, Subcommand, Values } from "../src/kit/command.ts";
import { parseMention } from "../src/kit/mention.ts";
import { reply } from "../src/reply.ts";
import { read } from "../src/kit/values.ts";
import { platformOf } from "../src/channel-ref.ts";
import { parseSubject, type Subject } from "../src/tickets/one-voice.ts";
import { p } from "./params.ts";

/** `/owner T-<n>|INC-<n> @person [reason]`: one owner, handed over only when accepted (rule 6). */
const subjectArg: Param = { id: "ref", label: "field.subject", type: { kind: "text" }, required: true };

function subjectOf(v: Values): Subject {
  const text = read.str(v, "ref") ?? "";
  const s = parseSubject(text);
  if (!s) throw new RelaisError("invalid_reference", { value: text, expected: "T-<n> / INC-<n>", example: "T-42" });
  return s;
}

const propose: Subcommand = {
  name: "propose",
  aliases: ["proposer"],
  summary: "cmd.owner.propose",
  // A person (issue 15): Discord registers a user option (its picker), Slack escapes `@name` into a mention.
  args: [subjectArg, { id: "user", label: "field.newOwner", type: { kind: "person" }, required: true }, p.reason],
  async run(v, ctx) {
    const x = ctx.texts;
    const subject = subjectOf(v);
    // A chat user as picked or mentioned; a plain word names a user of the platform, as `@name` does.
    const person = read.person(v, "user");
    const target = person?.id
      ? { id: person.id, name: person.name }
      : parseMention(person?.name ?? "", platformOf(ctx.actor.id).platform);
    if (!target) throw new RelaisError("field_required", { field: "field.newOwner" });
    const { ref, direct, owner } = await ctx.services.voice.propose(ctx.actor, subject, target, read.str(v, "reason"));
    const text = direct
      ? x.t("voice.reassigned", { ref, to: target.name, who: ctx.actor.name, reason: read.str(v, "reason") ?? "" })
      : x.t("voice.handover_proposed", { ref, to: target.name, owner });
    return subject.kind === "ticket" ? reply.text(text, subject.id) : reply.text(text);
  },
};

const accept: Subcommand = {
  name: "accept",
  aliases: ["accepter"],
  summary: "cmd.owner.accept",
  buttons: ["owner_accept"],
  args: [subjectArg],
  async run(v, ctx) {
    const subject = subjectOf(v);
    const { ref, owner } = await ctx.services.voice.accept(ctx.actor, subject);
    const text = ctx.texts.t("voice.handover_accepted", { ref, to: owner });
    return subject.kind === "ticket" ? reply.text(text, subject.id) : reply.text(text);
  },
};

export const ownerCommand: Command = {
  name: "owner",
  aliases: ["responsable"],
  summary: "cmd.owner",
  subcommands: [propose, accept],
  whenText: "propose",
};
