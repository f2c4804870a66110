import { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { isRelaisError, RelaisError } from "../errors.ts";
import type { Texts } from "../i18n/index.ts";
import { outageRef } from "../outages/model.ts";
import { ref as ticketRef } from "../tickets/model.ts";
import {
  type Command,
  formParams,
  type Param,
  type Person,
  type Subcommand,
  type Value,
  type Values,
} from "./command.ts";
import { personText } from "./mention.ts";
import { platformOfId } from "../channel-ref.ts";
import { channelsText } from "./channels.ts";
import { type ParseContext, parseValue } from "./parse.ts";
import { errorText } from "./run.ts";

/**
 * Forms, whatever renders them (a Slack modal, Discord's modals in steps, shell prompts): what is
 * given so far travels encoded (Slack's private_metadata, Discord's stored draft), and what people
 * typed is read here, field by field, with the parser every surface uses.
 */

/** Values as JSON can carry them: times as ISO strings; "" marks an optional field left empty. */
export type Encoded = Record<string, string | number>;

/** A form in progress: which subcommand, where it was opened, and the values given so far. */
export interface FormState {
  command: string;
  sub: string;
  channel: string;
  given: Encoded;
  /** The text typed in earlier steps, by field id (Discord's steps): kept to show the form again. */
  typed?: Readonly<Record<string, string>>;
}

/** What a surface needs to show a form: the fields still to fill, some already filled in. */
export interface FormRequest {
  command: Command;
  sub: Subcommand;
  state: FormState;
  /** Text shown already filled in, per field (a colleague's draft to edit). */
  initial: Record<string, string>;
}

export function encodeValues(values: Values): Encoded {
  const out: Encoded = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = encodeValue(v);
  return out;
}

/** A time as ISO text, a person or channel ids as JSON text; numbers and text as they are. */
function encodeValue(v: Value): string | number {
  if (DateTime.isDateTime(v)) return v.toISO()!;
  if (Array.isArray(v)) return JSON.stringify(v);
  return typeof v === "object" ? JSON.stringify(v) : v;
}

/**
 * The values a form carried back (Slack's signed metadata, Discord's stored draft), checked again as
 * if typed: each goes back to its text and through the parser of its field — a reference must still
 * parse, a choice be one of its own, a text within its limits and checks, a time a time, a person
 * what the person parser would make of them. A value for no field of the form, or of the wrong type,
 * is refused as a form Relais cannot vouch for. Returns the values as the parser reads them.
 */
export function checkGiven(sub: Subcommand, given: unknown, ctx: ParseContext): Encoded {
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw new RelaisError("form_unverified");
  const params = formParams(sub);
  const out: Encoded = {};
  for (const [id, v] of Object.entries(given as Record<string, unknown>)) {
    const p = params.find((x) => x.id === id);
    const isText = typeof v === "string";
    if (!p || !(isText || (typeof v === "number" && p.type.kind === "ref"))) throw new RelaisError("form_unverified");
    if (v === "") {
      if (p.required) throw new RelaisError("field_required", { field: p.label });
      out[id] = "";
      continue;
    }
    out[id] = encodeValue(givenValue(p, String(v), ctx));
  }
  return out;
}

/** One carried value read again by its field's parser. */
function givenValue(p: Param, v: string, ctx: ParseContext): Value {
  const strict = { ...p, required: true };
  switch (p.type.kind) {
    case "time": {
      // Carried as ISO (encodeValue); whether it is still to come is the domain's to say at run.
      const d = DateTime.fromISO(v, { zone: ctx.texts.zone });
      if (!d.isValid) throw new RelaisError("invalid_time", { value: v });
      return d;
    }
    case "person": {
      const person = parsePersonJson(v);
      const platform = person?.id ? platformOfId(person.id) : (ctx.platform ?? "shell");
      const again =
        person && platform === (ctx.platform ?? "shell") ? parseValue(strict, personText(person), ctx) : undefined;
      if (!again || JSON.stringify(again) !== JSON.stringify(person))
        throw new RelaisError("invalid_person", { field: p.label, value: person?.name ?? v });
      return again;
    }
    case "channel": {
      // Carried as ids (JSON): read again as the platform's mentions, so only channel ids come back.
      const ids = parseIdsJson(v);
      const again = ids ? parseValue(strict, channelsText(ids, ctx.platform ?? "shell"), ctx) : undefined;
      if (!ids || JSON.stringify(again) !== JSON.stringify(ids))
        throw new RelaisError("channel_not_picked", { field: p.label, value: ids?.join(" ") ?? v });
      return again!;
    }
    case "choice": {
      // Only a choice's own id comes back: a number or a label would be a value the form never sent.
      const chosen = parseValue(strict, v, ctx);
      if (chosen !== v)
        throw new RelaisError("invalid_choice", { field: p.label, value: v, choices: p.type.values.join(", ") });
      return chosen;
    }
    default:
      return parseValue(strict, v, ctx)!;
  }
}

function parseIdsJson(v: string): string[] | undefined {
  try {
    const ids = JSON.parse(v) as unknown;
    return Array.isArray(ids) && ids.every((id) => typeof id === "string") ? ids : undefined;
  } catch {
    return undefined;
  }
}

function parsePersonJson(v: string): Person | undefined {
  try {
    const p = JSON.parse(v) as unknown;
    if (typeof p !== "object" || p === null) return undefined;
    const { id, name } = p as Record<string, unknown>;
    if (typeof name !== "string" || (id !== undefined && typeof id !== "string")) return undefined;
    return id === undefined ? { name } : { id, name };
  } catch {
    return undefined;
  }
}

export function decodeValues(sub: Subcommand, given: Encoded): Record<string, Value | undefined> {
  const out: Record<string, Value | undefined> = {};
  for (const p of formParams(sub)) {
    const v = given[p.id];
    if (v === undefined || v === "") continue;
    if (typeof v !== "string") out[p.id] = v;
    else if (p.type.kind === "time") out[p.id] = DateTime.fromISO(v);
    else if (p.type.kind === "person") out[p.id] = JSON.parse(v) as Person;
    else if (p.type.kind === "channel") out[p.id] = JSON.parse(v) as string[];
    else out[p.id] = v;
  }
  return out;
}

/** The fields still to ask, in steps of at most `size` (Discord: five inputs a modal). */
export function formSteps(sub: Subcommand, given: Encoded, size = Number.POSITIVE_INFINITY): Param[][] {
  const missing = formParams(sub).filter((p) => given[p.id] === undefined);
  const steps: Param[][] = [];
  const step = Number.isFinite(size) ? size : missing.length;
  for (let i = 0; i < missing.length; i += step) steps.push(missing.slice(i, i + step));
  return steps;
}

/** "Point de statut T-3": the subcommand's form title with the reference it is about. */
export function formTitle(x: Texts, command: Command, sub: Subcommand, given: Encoded): string {
  if (!sub.formTitle) return `/${command.name} ${sub.name}`;
  const refParam = formParams(sub).find((p) => p.id === "ref");
  const prefix = refParam?.type.kind === "ref" ? (refParam.type.prefix ?? "T") : "T";
  const id = given.ref;
  const ref = typeof id === "number" ? (prefix === "INC" ? outageRef(id) : ticketRef(id)) : "";
  return x.t(sub.formTitle, { ref });
}

/**
 * Reads the typed text of `asked` fields (raw strings by field id; a missing one is empty). A field
 * becomes required when its `requiredIf` holds for the values known so far. Returns the new given
 * values, or one message per refused field.
 */
export function readFields(
  x: Texts,
  clock: Clock,
  sub: Subcommand,
  given: Encoded,
  raw: Readonly<Record<string, string | undefined>>,
  asked: readonly Param[],
  /** Where the person typed (a plain `@name` is a user of that platform). */
  platform?: string,
): { ok: true; given: Encoded } | { ok: false; errors: Record<string, string>; first: RelaisError } {
  const next: Encoded = { ...given };
  const known = decodeValues(sub, given);
  const errors: Record<string, string> = {};
  let first: RelaisError | undefined;
  for (const p of asked) {
    try {
      const required = p.required || p.requiredIf?.(known) === true;
      const v = parseValue({ ...p, required }, raw[p.id] ?? "", { texts: x, clock, ...(platform ? { platform } : {}) });
      next[p.id] = v === undefined ? "" : encodeValue(v);
      known[p.id] = v;
    } catch (e) {
      if (!isRelaisError(e)) throw e;
      errors[p.id] = errorText(x, e);
      first ??= e;
    }
  }
  return first ? { ok: false, errors, first } : { ok: true, given: next };
}
