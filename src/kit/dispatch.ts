import type { Logger } from "pino";
import { RelaisError } from "../errors.ts";
import { reply, type Reply } from "../reply.ts";
import type { Command, CommandContext, Param } from "./command.ts";
import { platformOfId } from "./mention.ts";
import { type Encoded, type FormRequest, formSteps, readFields } from "./forms.ts";
import { usage } from "./parse.ts";
import { Pipeline } from "./pipeline.ts";
import type { InteractionPort } from "./ports.ts";
import { errorReply } from "./run.ts";

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

/**
 * A typed line from start to reply, through the pipeline every surface uses. The shell's port:
 * every reply is printed (no channels), and a form is one prompt per field, then submitted.
 */
export async function handleLine(
  line: string,
  commands: readonly Command[],
  ctx: CommandContext,
  asker?: FormAsker,
  log?: Logger,
): Promise<Reply> {
  const pipeline = new Pipeline(commands);
  let answer: Reply | undefined;
  const port: InteractionPort = {
    ctx,
    ...(log ? { log } : {}),
    ack: async () => {},
    answer: async (r) => {
      answer = r;
    },
    openForm: async (form) => {
      try {
        const given = await promptForm(form, ctx, asker);
        await pipeline.handle(port, { kind: "form", state: { ...form.state, given }, fields: {} });
      } catch (e) {
        answer = errorReply(ctx.texts, e, log);
      }
    },
    // Never called in practice: each field is checked as it is typed (promptForm).
    formErrors: async (errors) => {
      answer = reply.private(Object.values(errors).map((text) => ({ type: "text" as const, text })));
    },
  };
  await pipeline.handle(port, { kind: "line", line });
  return answer ?? errorReply(ctx.texts, new Error("no answer"), log);
}

/** Asks every field not given; a bad answer is explained and asked again (three times at most). */
async function promptForm(form: FormRequest, ctx: CommandContext, asker: FormAsker | undefined): Promise<Encoded> {
  const { sub, command, initial } = form;
  const params = formSteps(sub, form.state.given)[0] ?? [];
  if (!asker) {
    const first = params.find((p) => p.required) ?? params[0]!;
    throw new RelaisError("missing_argument", { arg: first.label, usage: usage(sub, ctx.texts.lang, command.name) });
  }
  let given = form.state.given;
  for (const param of params) {
    for (let attempt = 1; ; attempt++) {
      const typed = await asker.ask(param, attempt, initial[param.id]);
      if (typed === undefined) throw new RelaisError("form_cancelled");
      const answer = typed.trim() === "" && initial[param.id] !== undefined ? initial[param.id]! : typed;
      const read = readFields(
        ctx.texts,
        ctx.services.clock,
        sub,
        given,
        { [param.id]: answer },
        [param],
        platformOfId(ctx.actor.id),
      );
      if (read.ok) {
        given = read.given;
        break;
      }
      if (attempt >= MAX_ATTEMPTS) throw read.first;
      asker.onError(read.errors[param.id]!);
    }
  }
  return given;
}
