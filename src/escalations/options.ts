import { RelaisError } from "../errors.ts";
import { escalationRef } from "./model.ts";

/**
 * The options of a note's recommendation (seed 003 §7, "Recommandation : option A/B/C"), so that a
 * decision is announced in plain words — "annuler la facture", never a bare "B" the requester
 * cannot read.
 */

// The dashes as escapes (en, em): source kept ASCII (see sentence in src/text.ts).
const MARK = /(?:^|(?<=[\s;,.(]))(?:option\s+)?([A-E])\s*[:)\u2013\u2014-]\s*/g;

/** "A : annuler ; B : avoir" → { A: "annuler", B: "avoir" }. */
export function optionsOf(recommendation: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!recommendation) return out;
  const marks = [...recommendation.matchAll(MARK)];
  marks.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = marks[i + 1]?.index ?? recommendation.length;
    const text = recommendation
      .slice(start, end)
      .trim()
      .replace(/[\s;,.]+$/, "");
    if (text && !out.has(m[1]!)) out.set(m[1]!, text);
  });
  return out;
}

/**
 * The decided option as it is stored: a bare letter ("B", "option b") becomes "B — its text" from
 * the recommendation; a letter the recommendation does not describe is refused (nothing changed);
 * words stay as typed.
 */
export function decidedOption(id: number, option: string, recommendation: string | undefined): string {
  const bare = /^(?:option\s+)?([a-e])\s*\.?$/i.exec(option.trim());
  if (!bare) return option;
  const letter = bare[1]!.toUpperCase();
  const text = optionsOf(recommendation).get(letter);
  if (!text) throw new RelaisError("option_not_described", { ref: escalationRef(id), option: letter });
  return `${letter} — ${text}`;
}

/** What the requester reads: the option's words without its letter. */
export function plainOption(stored: string): string {
  return stored.replace(/^[A-E] \u2014 /, "");
}
