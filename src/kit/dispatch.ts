import type { Logger } from "pino";
import { RelaisError } from "../errors.ts";
import type { Command, CommandContext, Param, Values, Value } from "./command.ts";
import { formParams } from "./command.ts";
import { parseValue, resolveLine, usage } from "./parse.ts";
import { reply, type Reply } from "../reply.ts";
import { commandHelp, errorReply, errorText, execute } from "./run.ts";
import { isRelaisError } from "../errors.ts";

/**
 * Asks one form field and returns what the person typed, or undefined when they gave up (end of
 * input, cancel). Surfaces with prompts (the shell) provide one; `onError` shows a refused answer.
 */
export interface FormAsker {
  /** `initial` is shown as the proposed answer; an empty answer keeps it. */
  ask(param: Param, attempt: number, initial?: string): Promise<string | undefined>;
  onError(message: string): void;
}

const MAX_ATTEMPTS = 3;

/** A typed line from start to reply: resolve, fill the form if needed, run, explain refusals. */
export async function handleLine(
  line: string,
  commands: readonly Command[],
  ctx: CommandContext,
  asker?: FormAsker,
  log?: Logger,
): Promise<Reply> {
  const x = ctx.texts;
  if (/^\/(help|aide)\s*$/i.test(line.trim())) return globalHelp(commands, ctx);
  try {
    const inv = resolveLine(commands, line, { texts: x, clock: ctx.services.clock });
    if (inv.kind === "help") return commandHelp(x, inv.command, inv.sub);
    let values = inv.values;
    if (inv.missing.length > 0) await inv.sub.precheck?.(values, ctx);
    if (inv.missing.length > 0) {
      if (!asker) {
        const first = inv.missing[0]!;
        throw new RelaisError("missing_argument", {
          arg: first.label,
          usage: usage(inv.sub, x.lang, inv.command.name),
        });
      }
      values = await fillForm(formParams(inv.sub), values, ctx, asker, (await inv.sub.defaults?.(values, ctx)) ?? {});
    }
    return await execute(inv.sub, values, ctx, log);
  } catch (e) {
    return errorReply(x, e, log);
  }
}

/** Asks every form field not given inline; a bad answer is explained and asked again. */
async function fillForm(
  params: Param[],
  given: Values,
  ctx: CommandContext,
  asker: FormAsker,
  initial: Record<string, string>,
): Promise<Values> {
  const values: Record<string, Value | undefined> = { ...given };
  for (const param of params) {
    if (values[param.id] !== undefined) continue;
    for (let attempt = 1; ; attempt++) {
      const typed = await asker.ask(param, attempt, initial[param.id]);
      if (typed === undefined) throw new RelaisError("form_cancelled");
      const answer = typed.trim() === "" && initial[param.id] !== undefined ? initial[param.id]! : typed;
      try {
        values[param.id] = parseValue(param, answer, { texts: ctx.texts, clock: ctx.services.clock });
        break;
      } catch (e) {
        if (!isRelaisError(e) || attempt >= MAX_ATTEMPTS) throw e;
        asker.onError(errorText(ctx.texts, e));
      }
    }
  }
  return values;
}

function globalHelp(commands: readonly Command[], ctx: CommandContext): Reply {
  const x = ctx.texts;
  return reply.private([
    {
      type: "list",
      items: [
        ...commands.map((c) => `/${c.name} — ${x.t(c.summary)}`),
        `/${x.lang === "fr" ? "aide" : "help"} — ${x.t("cmd.help")}`,
      ],
    },
  ]);
}
