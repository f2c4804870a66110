import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "pino";
import type { Command, CommandContext, Param } from "../../kit/command.ts";
import { handleLine, type FormAsker } from "../../kit/dispatch.ts";
import { choiceList } from "../../kit/parse.ts";
import type { Actor } from "../../timeline/events.ts";
import type { Texts } from "../../i18n/index.ts";
import { renderText } from "./render.ts";

/**
 * The terminal chat (as Hubot's shell adapter): each line is a command; a form becomes one prompt
 * per field, answered on the following lines. Works piped too: it stops at the end of input.
 */
export async function runShell(opts: {
  input: Readable;
  output: Writable;
  commands: readonly Command[];
  context: (actor: Actor) => CommandContext;
  actor: Actor;
  texts: Texts;
  interactive: boolean;
  log?: Logger;
}): Promise<void> {
  const { output, texts: x } = opts;
  const rl = createInterface({ input: opts.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const write = (s: string) => output.write(`${s}\n`);
  const prompt = () => {
    if (opts.interactive) output.write("> ");
  };
  const asker: FormAsker = {
    async ask(param: Param, _attempt: number, initial?: string) {
      const hint =
        param.type.kind === "choice"
          ? x.t("form.prompt_choice", { label: x.t(param.label), choices: choiceList(param, x) })
          : x.t(param.label);
      const proposed = initial ? ` ${x.t("form.proposed", { value: initial })}` : "";
      write(`? ${hint}${param.required ? "" : ` ${x.t("form.optional")}`}${proposed}`);
      const next = await lines.next();
      if (next.done) return undefined;
      if (!opts.interactive) write(`  ${next.value}`);
      return next.value;
    },
    onError: (message) => write(`! ${message}`),
  };

  if (opts.interactive) write(x.t("shell.welcome"));
  prompt();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const line = next.value.trim();
    if (line !== "") {
      if (!opts.interactive) write(`> ${line}`);
      if (!line.startsWith("/")) write(x.t("shell.not_a_command"));
      else write(renderText(await handleLine(line, opts.commands, opts.context(opts.actor), asker, opts.log)));
    }
    prompt();
  }
  rl.close();
  if (opts.interactive) write(x.t("shell.bye"));
}
