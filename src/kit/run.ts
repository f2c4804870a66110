import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { isRelaisError, type RelaisError } from "../errors.ts";
import { hasKey, type Texts } from "../i18n/index.ts";
import type { Command, Subcommand } from "./command.ts";
import { usage } from "./parse.ts";
import { reply, type Reply } from "../reply.ts";

/** Known errors by their code; anything else gets an id that is also logged (as Dispatch does). */
export function errorReply(x: Texts, e: unknown, log?: Logger): Reply {
  if (isRelaisError(e)) return { ...reply.private([{ type: "text", text: errorText(x, e) }]), error: e.code };
  const id = randomUUID().slice(0, 8);
  log?.error({ err: e, errorId: id }, "command failed");
  return { ...reply.private([{ type: "text", text: x.t("error.internal", { id }) }]), error: "internal" };
}

export function errorText(x: Texts, e: RelaisError): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(e.params)) {
    if (k === "status") params[k] = x.t(`status.${v}` as never);
    else if (k === "action") params[k] = x.t(`action.${v}` as never);
    // A key among the params (who may act, the action) is said with the same params (the owner's name).
    else if (typeof v === "string" && hasKey(v)) params[k] = x.t(v, e.params);
    else if (k === "field" && typeof v === "string" && hasKey(`field.${v}`)) params[k] = x.t(`field.${v}` as never);
    else params[k] = v;
  }
  return x.t(`error.${e.code}`, params);
}

export function commandHelp(x: Texts, command: Command, sub?: Subcommand): Reply {
  if (sub) {
    return reply.private([
      { type: "header", text: `/${command.name} ${sub.name} — ${x.t(sub.summary)}` },
      { type: "text", text: `${x.t("help.usage")} : ${usage(sub, x.lang, command.name)}` },
      ...(sub.aliases.length
        ? [{ type: "context" as const, text: `${x.t("help.aliases")} : ${sub.aliases.join(", ")}` }]
        : []),
    ]);
  }
  return reply.private([
    { type: "header", text: x.t("help.title", { command: command.name, summary: x.t(command.summary) }) },
    { type: "list", items: command.subcommands.map((s) => `${usage(s, x.lang, command.name)} — ${x.t(s.summary)}`) },
  ]);
}
