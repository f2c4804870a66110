import type { DateTime } from "luxon";

/**
 * Durations as the policy writes them: `30m`, `2h`, `10s` (for drills and tests), `2bd` (business days), `1-2bd` (a range whose
 * deadline is the upper bound, seed 002 "1–2 jours ouvrés") or `ASAP` (no deadline).
 */
export type DurationUnit = "s" | "m" | "h" | "bd";

export interface PolicyDuration {
  /** The text as written, for error messages. */
  readonly source: string;
  readonly unit: DurationUnit;
  /** Lower bound of a range; equal to `max` for a single value. */
  readonly min: number;
  /** The value a deadline is computed from. */
  readonly max: number;
}

export type Target = PolicyDuration | "ASAP";

const pattern = /^(\d+)(?:-(\d+))?\s*(s|m|min|h|bd)$/;

export function parseDuration(text: string): PolicyDuration | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min || max === 0) return undefined;
  const unit = (m[3] === "min" ? "m" : m[3]) as DurationUnit;
  return { source: text, unit, min, max };
}

export function parseTarget(text: string): Target | undefined {
  return text.trim().toUpperCase() === "ASAP" ? "ASAP" : parseDuration(text);
}

/*
 * How a policy duration becomes time: the one place that decides it (every rule goes through
 * addDuration / subtractDuration / durationMillis).
 *
 * - `s`, `m`, `h` are seconds, minutes and hours: elapsed time, or business time when the rule runs
 *   on a business clock (`businessHours`, an SLA row whose clock is "business").
 * - `bd` counts business days on the calendar when the rule has one (same time of day, skipping
 *   closed days and holidays). Where a rule has no calendar (escalation follow-ups, outage
 *   reminders, the scheduler's lateness, a 24/7 SLA clock) a "bd" is a day of that clock: 24 h.
 * - A range (`1-2bd`) counts its upper bound. `ASAP` is not a duration: it has no deadline, and
 *   callers handle it before asking for one (see Target).
 */

const UNIT_MILLIS: Record<DurationUnit, number> = { s: 1_000, m: 60_000, h: 3_600_000, bd: 86_400_000 };

/** The business calendar as durations need it (src/sla/calendar.ts is one). */
export interface DurationCalendar {
  /** `n` business days after `t`, at the same time of day. */
  addBusinessDays(t: DateTime, n: number): DateTime;
  /** `n` business days before `t`, at the same time of day. */
  businessDaysBefore(t: DateTime, n: number): DateTime;
  /** `minutes` business minutes after `t` (before it when negative). */
  addMinutes(t: DateTime, minutes: number): DateTime;
}

/** What a rule counts its durations on. Neither: elapsed time, and a "bd" is 24 h. */
export interface DurationClock {
  /** Business days are counted on this calendar. */
  calendar?: DurationCalendar;
  /** Seconds, minutes and hours count only business hours of the calendar (a "business" SLA clock). */
  businessHours?: boolean;
}

/** Milliseconds of a duration as elapsed time (a "bd" is 24 h); the upper bound of a range by default. */
export function durationMillis(d: PolicyDuration, which: "min" | "max" = "max"): number {
  return d[which] * UNIT_MILLIS[d.unit];
}

/** `from` plus the duration (its upper bound), on the rule's clock. */
export function addDuration(from: DateTime, d: PolicyDuration, on: DurationClock = {}): DateTime {
  return shift(from, d, on, 1);
}

/** `from` minus the duration (its upper bound), on the rule's clock. */
export function subtractDuration(from: DateTime, d: PolicyDuration, on: DurationClock = {}): DateTime {
  return shift(from, d, on, -1);
}

function shift(from: DateTime, d: PolicyDuration, on: DurationClock, sign: 1 | -1): DateTime {
  const { calendar } = on;
  if (calendar && d.unit === "bd") {
    return sign > 0 ? calendar.addBusinessDays(from, d.max) : calendar.businessDaysBefore(from, d.max);
  }
  const millis = durationMillis(d);
  if (calendar && on.businessHours) return calendar.addMinutes(from, (sign * millis) / 60_000);
  return from.plus({ milliseconds: sign * millis });
}
