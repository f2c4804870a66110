import { RelaisError } from "../src/errors.ts";
import type { Command, Subcommand } from "../src/kit/command.ts";
import { parseMention } from "../src/kit/mention.ts";
import { reply } from "../src/kit/reply.ts";
import { read } from "../src/kit/values.ts";
import { platformOf } from "../src/outages/model.ts";
import { ref } from "../src/tickets/model.ts";
import { p, refArg } from "./params.ts";

/** `/owner T-<n> @person [reason]`: one owner per ticket, handed over only when accepted (rule 6). */
const propose: Subcommand = {
  name: "propose",
  aliases: ["proposer"],
  summary: "cmd.owner.propose",
  args: [refArg, { id: "user", label: "field.newOwner", type: { kind: "text" }, required: true }, p.reason],
  async run(v, ctx) {
    const x = ctx.texts;
    const target = parseMention(read.str(v, "user") ?? "", platformOf(ctx.actor.id).platform);
    if (!target) throw new RelaisError("field_required", { field: "field.newOwner" });
    const id = read.ref(v);
    const before = await ctx.services.tickets.get(id);
    const { direct } = await ctx.services.voice.propose(ctx.actor, id, target, read.str(v, "reason"));
    return reply.text(
      direct
        ? x.t("voice.reassigned", { ref: ref(id), to: target.name, who: ctx.actor.name, reason: read.str(v, "reason") ?? "" })
        : x.t("voice.handover_proposed", { ref: ref(id), to: target.name, owner: before.ownerName ?? "" }),
      id,
    );
  },
};

const accept: Subcommand = {
  name: "accept",
  aliases: ["accepter"],
  summary: "cmd.owner.accept",
  args: [refArg],
  async run(v, ctx) {
    const t = await ctx.services.voice.accept(ctx.actor, read.ref(v));
    return reply.text(ctx.texts.t("voice.handover_accepted", { ref: ref(t.id), to: t.ownerName ?? "" }), t.id);
  },
};

export const ownerCommand: Command = {
  name: "owner",
  aliases: ["responsable"],
  summary: "cmd.owner",
  subcommands: [propose, accept],
  whenText: "propose",
};
