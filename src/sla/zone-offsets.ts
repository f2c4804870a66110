import { IANAZone } from "luxon";

/**
 * Luxon asks `Intl` for a time zone's offset each time it builds a local time (a day's opening, a
 * deadline, a date written in a reply): a `formatToParts` call, the largest cost of a ticket's
 * creation once its SQL was cheap (issue 16). An offset changes a few times a year, so it is kept
 * here per quarter hour: a quarter hour whose first and last instants have the same offset has it
 * throughout (two changes are never minutes apart), and is kept; one with a change inside it is
 * asked of `Intl` every time. The zone is luxon's own shared instance for that name, so every
 * DateTime in it — the clock's, the calendar's, the replies' — gets the kept offsets.
 */
const QUARTER_HOUR = 15 * 60_000;
/** Quarter hours kept per zone before starting afresh (about a year of them). */
const KEPT = 40_000;

const done = new Set<string>();

export function keepZoneOffsets(name: string): void {
  if (done.has(name)) return;
  const zone = IANAZone.create(name);
  if (!zone.isValid) return;
  done.add(name);
  const ask = zone.offset.bind(zone);
  const kept = new Map<number, number>();
  zone.offset = (ts: number): number => {
    if (!Number.isFinite(ts)) return ask(ts);
    const quarter = Math.floor(ts / QUARTER_HOUR);
    const known = kept.get(quarter);
    if (known !== undefined) return known;
    const first = ask(quarter * QUARTER_HOUR);
    if (first !== ask(quarter * QUARTER_HOUR + QUARTER_HOUR - 1)) return ask(ts);
    if (kept.size >= KEPT) kept.clear();
    kept.set(quarter, first);
    return first;
  };
}
