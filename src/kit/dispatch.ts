import type { Logger } from "pino";
import { isRelaisError, RelaisError } from "../errors.ts";
import { reply, type Reply } from "../reply.ts";
import type { Command, CommandContext, Param } from "./command.ts";
import { platformOfId } from "../channel-ref.ts";
import { type FormRequest, formSteps, readFields } from "./forms.ts";
import { usage } from "./parse.ts";
import { fold } from "../text.ts";
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

/** Typed as a form's answer, leaves the form (nothing saved) without leaving the shell. */
const CANCEL_WORDS = ["annuler", "cancel"];

export function isCancelWord(answer: string): boolean {
  return CANCEL_WORDS.includes(fold(answer.trim()));
}

/** The shell's pipeline over each command set, built once (it holds no state of a request). */
const pipelines = new WeakMap<readonly Command[], Pipeline>();

function pipelineOf(commands: readonly Command[]): Pipeline {
  const known = pipelines.get(commands);
  if (known) return known;
  const pipeline = new Pipeline(commands);
  pipelines.set(commands, pipeline);
  return pipeline;
}

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
  const pipeline = pipelineOf(commands);
  let answer: Reply | undefined;
  let refused: Record<string, string> | undefined;
  const port: InteractionPort = {
    ctx,
    ...(log ? { log } : {}),
    ack: async () => {},
    answer: async (r) => {
      answer = r;
    },
    openForm: async (form) => {
      try {
        await fillForm(form);
      } catch (e) {
        answer = errorReply(ctx.texts, e, log);
      }
    },
    formErrors: async (errors, _typed, code) => {
      refused = errors;
      // One line per distinct refusal (a 3W refusal is beside each missing field, said once).
      const texts = [...new Set(Object.values(errors))].map((text) => ({ type: "text" as const, text }));
      answer = { ...reply.private(texts), ...(code ? { error: code } : {}) };
    },
  };
  /**
   * Prompts the form, then submits what was typed. Refused beside a field, that field is asked again;
   * refused later, every field is asked again with what was typed proposed (Enter keeps it): nothing
   * typed is lost. Three rounds at most, then the refusal stands.
   */
  const fillForm = async (form: FormRequest) => {
    let proposed = form.initial;
    let only: ReadonlySet<string> | undefined;
    for (let round = 1; ; round++) {
      const last = answer;
      let typed: Record<string, string>;
      try {
        typed = await promptForm(form, ctx, asker, proposed, only);
      } catch (e) {
        // Given up while asked again: the refusal stands (nothing was saved).
        if (round === 1 || !last || !isRelaisError(e) || e.code !== "form_cancelled") throw e;
        answer = last;
        return;
      }
      answer = undefined;
      refused = undefined;
      await pipeline.handle(port, { kind: "form", state: form.state, fields: typed });
      // Set by the port while the pipeline handled the submission.
      const got = answer as Reply | undefined;
      const late = !refused && got?.error !== undefined && got.error !== "internal";
      if ((!refused && !late) || round >= MAX_ATTEMPTS || !asker) return;
      for (const b of got?.blocks ?? []) if (b.type === "text") asker.onError(b.text);
      proposed = { ...proposed, ...typed };
      only = refused ? new Set(Object.keys(refused)) : undefined;
    }
  };
  await pipeline.handle(port, { kind: "line", line });
  return answer ?? errorReply(ctx.texts, new Error("no answer"), log);
}

/**
 * Asks every field not given (only those in `only` when set, the others keep what `proposed` holds);
 * a bad answer is explained and asked again (three times at most). Returns the text typed by field.
 */
async function promptForm(
  form: FormRequest,
  ctx: CommandContext,
  asker: FormAsker | undefined,
  proposed: Readonly<Record<string, string>>,
  only?: ReadonlySet<string>,
): Promise<Record<string, string>> {
  const { sub, command } = form;
  const params = formSteps(sub, form.state.given)[0] ?? [];
  if (!asker) {
    const first = params.find((p) => p.required) ?? params[0]!;
    throw new RelaisError("missing_argument", { arg: first.label, usage: usage(sub, ctx.texts.lang, command.name) });
  }
  let given = form.state.given;
  const typed: Record<string, string> = {};
  for (const param of params) {
    const kept = proposed[param.id];
    for (let attempt = 1; ; attempt++) {
      const ask = !only || only.has(param.id) || attempt > 1;
      const answered = ask ? await asker.ask(param, attempt, kept) : (kept ?? "");
      if (answered === undefined || isCancelWord(answered)) throw new RelaisError("form_cancelled");
      const answer = answered.trim() === "" && kept !== undefined ? kept : answered;
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
        typed[param.id] = answer;
        break;
      }
      if (attempt >= MAX_ATTEMPTS) throw read.first;
      asker.onError(read.errors[param.id]!);
    }
  }
  return typed;
}
