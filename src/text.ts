import { RelaisError } from "./errors.ts";

/** Limits on what people type, so every surface can show it (Slack section 3,000; Discord field 1,024). */
export const TITLE_MAX = 150;
export const SHORT_MAX = 200;
export const LONG_MAX = 1000;

// C0/C1 control characters except tab and newline, bidi overrides that can disguise text, and
// zero-width characters (a title made of them would look empty).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Trims, drops control characters, and for one-line fields folds whitespace into single spaces. */
export function clean(text: string | undefined, multiline = false): string {
  if (text === undefined) return "";
  const stripped = text.replace(CONTROL, "");
  return multiline ? stripped.replace(/\r\n?/g, "\n").trim() : stripped.replace(/\s+/g, " ").trim();
}

/** A cleaned optional field: undefined when empty, `text_too_long` past `max` characters. */
export function optionalText(
  field: string,
  text: string | undefined,
  max = SHORT_MAX,
  multiline = false,
): string | undefined {
  const value = clean(text, multiline);
  if (value === "") return undefined;
  if ([...value].length > max) throw new RelaisError("text_too_long", { field, max, length: [...value].length });
  return value;
}

export function requiredText(field: string, text: string | undefined, max = SHORT_MAX, multiline = false): string {
  const value = optionalText(field, text, max, multiline);
  if (value === undefined) throw new RelaisError("field_required", { field });
  return value;
}

export function title(text: string | undefined): string {
  const value = clean(text);
  if (value === "") throw new RelaisError("title_empty");
  const length = [...value].length;
  if (length > TITLE_MAX) throw new RelaisError("title_too_long", { max: TITLE_MAX, length });
  return value;
}

/**
 * Typed text as a sentence inside a longer message: trimmed, ending with a full stop unless it
 * already ends with one (or "!", "?", "…"), so "la charge" + "Dan est votre référent." reads right.
 */
export function sentence(text: string): string {
  const t = text.trim();
  // Non-ASCII written as escapes: one such character in a regex makes V8 keep the whole bundle's
  // source (1.6 MB) as two bytes per character (issue 16).
  return t === "" || /[.!?\u2026]$/.test(t) ? t : `${t}.`;
}

/** Lower case without accents, for matching words people type in either language. */
export function fold(s: string): string {
  // The same few words (command and option names, aliases, labels) are folded at every command:
  // short ones are kept, since normalising costs more than the rest of a parse (issue 16).
  if (s.length > FOLD_KEPT_LENGTH) return foldNow(s);
  let folded = folds.get(s);
  if (folded === undefined) {
    if (folds.size >= FOLDS_KEPT) folds.clear();
    folded = foldNow(s);
    folds.set(s, folded);
  }
  return folded;
}

const FOLD_KEPT_LENGTH = 32;
const FOLDS_KEPT = 4096;
const folds = new Map<string, string>();

function foldNow(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Cuts to `max` characters (as Slack and Discord count them), ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
