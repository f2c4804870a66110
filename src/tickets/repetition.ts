import { fold } from "../text.ts";
import type { Ticket } from "./model.ts";

/**
 * "Le même problème revient" (seed 003 §7, répétition): two titles describe the same problem when
 * most of their meaningful words are shared (accents, case and small words ignored).
 */
const STOP = new Set(
  "le la les un une des de du d l au aux et ou en sur pour par avec sans dans ne pas plus a est sont the a an of to in on for with is are not no my mon ma mes son sa ses".split(
    " ",
  ),
);

export function words(title: string): Set<string> {
  return new Set(
    fold(title)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 2 && !STOP.has(w))
      .map((w) => w.replace(/s$/, "")),
  );
}

export function sameProblem(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return false;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / Math.min(wa.size, wb.size) >= 0.5;
}

/** Earlier tickets from the same source on the same problem as `t`. */
export function repeats(t: Pick<Ticket, "title">, candidates: readonly Ticket[]): Ticket[] {
  return candidates.filter((c) => sameProblem(t.title, c.title));
}
