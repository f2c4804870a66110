import { commands } from "../../commands/index.ts";
import { formParams, type Param } from "../../src/kit/command.ts";
import type { FormAsker } from "../../src/kit/dispatch.ts";
import { resolveLine } from "../../src/kit/parse.ts";
import { texts } from "../../src/i18n/index.ts";
import { manualClock, ZONE } from "./fixtures.ts";

/**
 * What a person types into a command's form, keyed by the field's Param id (commands/*.ts), so
 * that adding, removing or reordering a field cannot shift the answers of the others.
 *
 * - a string: the answer to that field;
 * - an array: successive answers to the same field, for a refused answer then a good one
 *   (`{ nextUpdate: ["bientôt", "15:30"] }`); every one of them must be asked for;
 * - null: the person gives up at that field (end of input, like Ctrl-D in the shell);
 * - a field not given: Enter (an empty answer, which keeps the value the form proposes).
 */
export type FormAnswers = Readonly<Record<string, string | readonly string[] | null>>;

/**
 * A FormAsker that answers by field id, and checks afterwards that the answers were all used:
 * once the form opens, a field given but never asked (a misspelt id, a field that does not
 * exist, an answer meant for a retry that never came) is a mistake in the test.
 */
export class FormFiller implements FormAsker {
  /** How many times each field was asked. */
  readonly asked = new Map<string, number>();
  /** The refusals shown while filling (the form asked again after each). */
  readonly errors: string[] = [];
  private misuse: string | undefined;

  constructor(private readonly answers: FormAnswers) {}

  async ask(param: Param, attempt: number): Promise<string | undefined> {
    this.asked.set(param.id, attempt);
    const given = this.answers[param.id];
    if (given === null) return undefined;
    if (given === undefined) return "";
    if (typeof given === "string") {
      if (attempt > 1) this.fail(`form field "${param.id}" asked ${attempt} times, one answer given`);
      return given;
    }
    const answer = (given as readonly string[])[attempt - 1];
    if (answer === undefined)
      this.fail(`form field "${param.id}" asked ${attempt} times, ${given.length} answers given`);
    return answer ?? "";
  }

  onError(message: string): void {
    this.errors.push(message);
  }

  /** Throws if the answers do not match what the form asked (nothing to check if it never opened). */
  check(): void {
    if (this.misuse) throw new Error(this.misuse);
    if (this.asked.size === 0) return;
    for (const [id, given] of Object.entries(this.answers)) {
      const times = this.asked.get(id) ?? 0;
      const expected = Array.isArray(given) ? given.length : 1;
      if (times === 0)
        throw new Error(`form field "${id}" was given but never asked (asked: ${[...this.asked.keys()]})`);
      if (times < expected) throw new Error(`form field "${id}" asked ${times} times, ${expected} answers given`);
    }
  }

  private fail(message: string): void {
    this.misuse ??= message;
  }
}

/**
 * The lines to type after `line` in the shell (stdin of `npm start`) to fill its form with
 * `answers`: one line per field the form asks, in the order the command declares its fields,
 * Enter for a field not given, every answer of an array in turn, nothing from a null on.
 */
export function formLines(line: string, answers: FormAnswers): string[] {
  const inv = resolveLine(commands, line, { texts: texts("fr", ZONE), clock: manualClock() });
  if (inv.kind !== "run") throw new Error(`${line} opens no form`);
  const asked = formParams(inv.sub).filter((p) => inv.values[p.id] === undefined);
  const unknown = Object.keys(answers).filter((id) => !asked.some((p) => p.id === id));
  if (unknown.length > 0) throw new Error(`${line} asks no field ${unknown.join(", ")}`);
  const lines: string[] = [];
  for (const p of asked) {
    const given = answers[p.id];
    if (given === null) break;
    lines.push(...(given === undefined ? [""] : typeof given === "string" ? [given] : given));
  }
  return lines;
}
