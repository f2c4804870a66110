import { RelaisError } from "../errors.ts";
import { hasKey, t, type Lang, type Texts } from "../i18n/index.ts";
import { clean, fold, LONG_MAX, optionalText } from "../text.ts";
import type { Clock } from "../clock.ts";
import type { Command, Param, Subcommand, Value, Values } from "./command.ts";
import { parseTimeInput } from "./time-input.ts";
import { parsePerson } from "./mention.ts";
import { parseChannelList } from "./channels.ts";

/** What parsing needs: the person's language and zone, the clock, and the platform they type on
 * (a plain `@name` names a user of that platform; the shell when absent). */
export interface ParseContext {
  texts: Texts;
  clock: Clock;
  platform?: string;
}

/** What a typed line asks for: a subcommand with the values given inline, or help. */
export type Invocation =
  | { kind: "run"; command: Command; sub: Subcommand; values: Values; missing: Param[] }
  | { kind: "help"; command: Command; sub?: Subcommand };

const HELP_WORDS = ["help", "aide", "?"];

function matches(name: string, aliases: readonly string[], word: string): boolean {
  const w = fold(word);
  return fold(name) === w || aliases.some((a) => fold(a) === w);
}

export function findCommand(commands: readonly Command[], word: string): Command | undefined {
  const w = word.replace(/^\//, "");
  return commands.find((c) => matches(c.name, c.aliases, w));
}

/** The subcommand a word names (its name or an alias). */
export function findSub(command: Command, word: string): Subcommand | undefined {
  return command.subcommands.find((s) => matches(s.name, s.aliases, word));
}

/**
 * Resolves `/command rest…` typed in the shell or Slack. `rest` keeps its spacing for free text.
 * Throws a RelaisError (unknown command or subcommand, bad argument) on bad input.
 */
export function resolveLine(commands: readonly Command[], line: string, ctx: ParseContext): Invocation {
  const trimmed = line.trim();
  const [head = ""] = trimmed.split(/\s+/, 1);
  const command = findCommand(commands, head);
  if (!command) {
    throw new RelaisError("unknown_command", { command: head, commands: commands.map((c) => `/${c.name}`).join(", ") });
  }
  return resolveText(command, trimmed.slice(head.length).trim(), ctx);
}

export function resolveText(command: Command, rest: string, ctx: ParseContext): Invocation {
  const words = rest === "" ? [] : rest.split(/\s+/);
  const first = words[0];
  if (first === undefined) {
    const sub = command.subcommands.find((s) => s.name === command.whenEmpty);
    if (!sub) return { kind: "help", command };
    return { kind: "run", command, sub, values: {}, missing: missingParams(sub, {}) };
  }
  if (HELP_WORDS.includes(fold(first))) return { kind: "help", command };
  const sub = findSub(command, first);
  if (sub) {
    const argText = rest.slice(first.length).trim();
    if (argText !== "" && HELP_WORDS.includes(fold(argText))) return { kind: "help", command, sub };
    const values = parseArgs(sub, argText, ctx);
    return { kind: "run", command, sub, values, missing: missingParams(sub, values) };
  }
  const fallback = command.subcommands.find((s) => s.name === command.whenText);
  // The one place for this rule: a line holding references but no subcommand ("/ticket lier T-43
  // T-42" before `lier` existed, "/ticket T-43 T-42") is never a title: answer the likely command.
  const refs = words.filter((w) => REF_WORD.test(w));
  // Only where the free text would become a title (the fallback's first argument takes the rest),
  // and only for a line shaped like a command — references and at most two other words. A sentence
  // that cites a reference ("Imprimante HS, même souci que T-12") is still a title.
  const commandLike = refs.length > 0 && words.length - refs.length <= 2;
  if (commandLike && fallback?.args[0]?.rest === true) {
    throw new RelaisError("likely_command", {
      command: command.name,
      line: `/${command.name} ${rest}`,
      suggestion: likelyCommand(command, first, refs, ctx.texts.lang),
    });
  }
  // One unknown word is more likely a mistyped subcommand than a ticket title, unless it is the
  // reference the fallback takes first ("/escalate T-3").
  const refFirst = fallback?.args[0]?.type.kind === "ref" && words.length === 1 && /^(?:[a-z]+-?)?\d+$/i.test(first);
  if (!fallback || (words.length < 2 && !refFirst)) {
    const near = nearest(command, first);
    throw new RelaisError("unknown_subcommand", {
      command: command.name,
      sub: first,
      suggestion: near ? t(ctx.texts.lang, "error.suggestion", { name: near }) : "",
    });
  }
  const values = parseArgs(fallback, rest, ctx);
  return { kind: "run", command, sub: fallback, values, missing: missingParams(fallback, values) };
}

/**
 * Inline arguments in order; the last `rest` argument takes the remaining text as typed. A `rest`
 * argument followed by a person takes the words up to the first mention (`@ana`, `<@U123>`):
 * "/outage suivi INC-3 Ajouter une alerte disque @ana +3j".
 */
export function parseArgs(sub: Subcommand, text: string, ctx: ParseContext): Values {
  const values: Record<string, Value | undefined> = {};
  let remaining = text.trim();
  for (const [i, param] of sub.args.entries()) {
    if (remaining === "") break;
    const mention = param.rest && sub.args[i + 1]?.type.kind === "person" ? /(?:^|\s)(?=<?@)/.exec(remaining) : null;
    if (mention) {
      // Nothing before the mention: the argument is missing (asked in the form), not empty.
      const before = remaining.slice(0, mention.index).trim();
      if (before !== "") values[param.id] = parseValue(param, before, ctx);
      remaining = remaining.slice(mention.index).trim();
      continue;
    }
    if (param.rest) {
      values[param.id] = parseValue(param, remaining, ctx);
      remaining = "";
      break;
    }
    const [word = ""] = remaining.split(/\s+/, 1);
    values[param.id] = parseValue(param, word, ctx);
    remaining = remaining.slice(word.length).trim();
  }
  if (remaining !== "") {
    // Extra words after the last argument: say how the command is used rather than drop them.
    throw new RelaisError("extra_argument", { extra: remaining, usage: usage(sub, ctx.texts.lang) });
  }
  return values;
}

export function missingParams(sub: Subcommand, values: Values): Param[] {
  return [...sub.args, ...(sub.fields ?? [])].filter(
    (p) => (p.required || p.requiredIf?.(values) === true) && values[p.id] === undefined,
  );
}

/** One value typed by a person, checked and converted; undefined for an empty optional value. */
export function parseValue(param: Param, raw: string, ctx: ParseContext): Value | undefined {
  const text = clean(raw, param.type.kind === "text" && param.type.multiline === true);
  if (text === "") {
    if (param.required) throw new RelaisError("field_required", { field: param.label });
    return undefined;
  }
  switch (param.type.kind) {
    case "ref": {
      const prefix = param.type.prefix ?? "T";
      const m = new RegExp(`^(?:${prefix}-?|#)?(\\d{1,9})$`, "i").exec(text);
      if (!m)
        throw new RelaisError("invalid_reference", { value: text, expected: `${prefix}-<n>`, example: `${prefix}-42` });
      return Number(m[1]);
    }
    case "choice":
      return parseChoice(param, text, ctx.texts);
    case "time": {
      const now = ctx.clock.now();
      const d = parseTimeInput(text, now, ctx.texts.zone);
      if (!d) throw new RelaisError("invalid_time", { value: text });
      if (param.type.future && d <= now) throw new RelaisError("time_in_past", { time: ctx.texts.time(d) });
      return d;
    }
    case "text": {
      // The domain's own limit (src/text.ts), refused here so the form shows it beside the field.
      const { multiline = false, max = LONG_MAX } = param.type;
      param.check?.(text);
      optionalText(param.label, text, max, multiline);
      return text;
    }
    case "person": {
      const person = parsePerson(text, ctx.platform ?? "shell");
      if (!person) throw new RelaisError("invalid_person", { field: param.label, value: text });
      return person;
    }
    case "channel":
      return parseChannelList(text, ctx.platform ?? "shell", param.label, param.type.many === true);
  }
}

function parseChoice(param: Param, text: string, texts: Texts): string {
  if (param.type.kind !== "choice") throw new Error("not a choice");
  const { set, values, aliases = {} } = param.type;
  const w = fold(text);
  const index = /^\d+$/.test(w) ? values[Number(w) - 1] : undefined;
  if (index) return index;
  for (const v of values) {
    if (fold(v) === w) return v;
    for (const lang of ["fr", "en"] as const) {
      const key = `choice.${set}.${v}`;
      if (!hasKey(key)) continue;
      const label = fold(t(lang, key));
      // The whole label, or its first words before the parenthesis ("élevé", "no workaround"),
      // their words joined by hyphens too, as help shows them ("analyse-des-logs").
      if (label === w || words(label.split(" (")[0]!) === words(w)) return v;
    }
  }
  const alias = Object.entries(aliases).find(([a]) => fold(a) === w);
  if (alias) return alias[1];
  throw new RelaisError("invalid_choice", { field: param.label, value: text, choices: choiceList(param, texts) });
}

/** Words compared loosely: "analyse-des-logs", "analyse des logs"; "won't", "won’t". */
function words(s: string): string {
  return s
    .replace(/[\u2019\u2018]/g, "'")
    .replace(/[\s_-]+/g, " ")
    .trim();
}

/** A choice as a person of `lang` types it in one word: "analyse-des-logs", "tiers", "won’t-do". */
export function choiceWord(set: string, value: string, lang: Lang): string {
  const key = `choice.${set}.${value}`;
  if (!hasKey(key)) return value;
  return t(lang, key).split(" (")[0]!.trim().replace(/\s+/g, "-");
}

/** "1. élevé (…), 2. moyen (…)" — what a prompt or an error lists. */
export function choiceList(param: Param, texts: Texts): string {
  if (param.type.kind !== "choice") return "";
  const { set, values } = param.type;
  return values
    .map((v, i) => `${i + 1}. ${hasKey(`choice.${set}.${v}`) ? texts.t(`choice.${set}.${v}` as never) : v}`)
    .join(", ");
}

/** A subcommand's name as people of `lang` type it (French: its first alias). */
export function subName(sub: Subcommand, lang: Lang): string {
  return lang === "fr" && sub.aliases[0] ? sub.aliases[0] : sub.name;
}

export function usage(sub: Subcommand, lang: Lang, command = "ticket"): string {
  const name = subName(sub, lang);
  const args = sub.args.map((a) => {
    const n =
      a.type.kind === "ref"
        ? `${a.type.prefix ?? "T"}-<n>`
        : a.type.kind === "choice"
          ? a.type.values.map((v) => choiceWord(set(a), v, lang)).join("|")
          : a.type.kind === "person"
            ? "@<name>"
            : a.type.kind === "channel"
              ? "#<channel>"
              : `<${fieldWords(a, lang)}>`;
    return a.required ? n : `[${n}]`;
  });
  return [`/${command}`, name, ...args].join(" ");
}

function set(p: Param): string {
  return p.type.kind === "choice" ? p.type.set : "";
}

/** A free argument as help names it, in the person's words: "<prochaine action>", "<reason>". */
function fieldWords(p: Param, lang: Lang): string {
  const label = hasKey(p.label) ? t(lang, p.label) : p.id;
  return label
    .split(" (")[0]!
    .replace(/^(?:la|le|les|l\u2019|the)\s*/i, "")
    .replace(/[?:]$/, "")
    .trim()
    .toLowerCase();
}

/** A reference as typed: T-42, INC-3 (a line with one is a command, not a title). */
const REF_WORD = /^(?:T|INC)-\d{1,9}$/i;

/**
 * The command a line with references most likely meant: the subcommand its first word is close to,
 * else the first one taking exactly that many references ("/ticket T-43 T-42" → link).
 */
function likelyCommand(command: Command, first: string, refs: readonly string[], lang: Lang): string {
  const near = nearest(command, first);
  const byName = near ? command.subcommands.find((s) => matches(s.name, s.aliases, near)) : undefined;
  const byRefs = command.subcommands.find(
    (s) => s.args.filter((a) => a.required).length === refs.length && s.args.every((a) => a.type.kind === "ref"),
  );
  const sub = byName ?? byRefs;
  if (!sub) return `/${command.name} help`;
  const name = lang === "fr" && sub.aliases[0] ? sub.aliases[0] : sub.name;
  return [`/${command.name}`, name, ...refs.map((r) => r.toUpperCase())].join(" ");
}

function nearest(command: Command, word: string): string | undefined {
  const w = fold(word);
  let best: { name: string; d: number } | undefined;
  for (const s of command.subcommands) {
    for (const n of [s.name, ...s.aliases]) {
      const d = distance(w, fold(n));
      if (d <= 2 && (!best || d < best.d)) best = { name: n, d };
    }
  }
  return best?.name;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return dp[a.length]![b.length]!;
}
