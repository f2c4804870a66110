import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "pino";
import type { Command, CommandContext, Param } from "../../kit/command.ts";
import { handleLine, type FormAsker } from "../../kit/dispatch.ts";
import { choiceList } from "../../kit/parse.ts";
import type { Actor } from "../../timeline/events.ts";
import type { Texts } from "../../i18n/index.ts";
import { renderText } from "./render.ts";
import { writeReplyFile } from "./shell-sender.ts";
import { ShellScreen } from "./screen.ts";

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
  /** Where outbox posts are printed too (ShellSender), so they never break the line being typed. */
  screen?: ShellScreen;
  log?: Logger;
  /** Where a reply's file (the SLA report's CSV) is written; its path is printed under the reply. */
  filesDir?: string;
}): Promise<void> {
  const { output, texts: x } = opts;
  const screen = opts.screen ?? new ShellScreen(output);
  // Interactive: readline draws the prompt and the line being typed, and can draw them again.
  const rl = opts.interactive
    ? createInterface({ input: opts.input, output, terminal: true, prompt: "> " })
    : createInterface({ input: opts.input, terminal: false });
  if (opts.interactive) screen.attach(rl);
  const lines = rl[Symbol.asyncIterator]();
  const write = (s: string) => screen.write(s);
  const read = async () => {
    if (opts.interactive) screen.prompt();
    const next = await lines.next();
    screen.typed();
    return next;
  };
  const asker: FormAsker = {
    async ask(param: Param, _attempt: number, initial?: string) {
      const hint =
        param.type.kind === "choice"
          ? x.t("form.prompt_choice", { label: x.t(param.label), choices: choiceList(param, x) })
          : x.t(param.label);
      const proposed = initial ? ` ${x.t("form.proposed", { value: initial })}` : "";
      write(`? ${hint}${param.required ? "" : ` ${x.t("form.optional")}`}${proposed}`);
      const next = await read();
      if (next.done) return undefined;
      if (!opts.interactive) write(`  ${next.value}`);
      return next.value;
    },
    onError: (message) => write(`! ${message}`),
  };

  if (opts.interactive) write(x.t("shell.welcome"));
  for (let next = await read(); !next.done; next = await read()) {
    const line = next.value.trim();
    if (line === "") continue;
    if (!opts.interactive) write(`> ${line}`);
    if (!line.startsWith("/")) write(x.t("shell.not_a_command"));
    else {
      const reply = await handleLine(line, opts.commands, opts.context(opts.actor), asker, opts.log);
      const file = reply.file && opts.filesDir ? `\n📎 ${writeReplyFile(opts.filesDir, reply.file)}` : "";
      write(renderText(reply) + file);
    }
  }
  rl.close();
  if (opts.interactive) write(x.t("shell.bye"));
}
