import { DateTime, type Zone } from "luxon";
import { PolicyError, WEEKDAYS, type Policy } from "../config/policy.ts";
import { HolidayCalendar } from "./holidays.ts";
import { keepZoneOffsets } from "./zone-offsets.ts";

/**
 * Business time in the policy's time zone: opening hours per weekday, holidays and the cut-off.
 * Every interval is built from local wall-clock times, so a day keeps its opening hours across a
 * daylight-saving change and business minutes are real elapsed minutes inside those hours.
 *
 * The walks (a deadline forward, a warning backward, the minutes between two instants) run on epoch
 * milliseconds over each local day's open intervals, built once per day and kept: every ticket's
 * creation walks them several times, and luxon arithmetic at each step was most of its cost and
 * most of what it allocated (issue 16). Luxon is used at the edges: building a day, and the result.
 */
interface Interval {
  start: DateTime;
  end: DateTime;
}

/** A local day: its midnight and its open intervals, as epoch milliseconds. */
interface Day {
  readonly midnight: number;
  readonly open: ReadonlyArray<{ readonly start: number; readonly end: number }>;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** How far the walks look for an open day before deciding the calendar has none (policy bug). */
const MAX_DAYS = 3 * 366;

/** Local days kept (each walk of a deadline asks for the same few days). */
const KEPT_DAYS = 2048;

export class BusinessCalendar {
  private readonly hours: ReadonlyArray<ReadonlyArray<[number, number]>>;
  /** The closed days (generated per year on first use, or the hand-typed list). */
  readonly holidays: HolidayCalendar;
  private readonly cutoffMinutes: number | null;
  readonly zone: string;
  /** Luxon's zone of that name (its offsets kept per quarter hour: src/sla/zone-offsets.ts). */
  private readonly zoneRules: Zone;
  /** The local days already asked for, by day number (local days since 1970-01-01). */
  private readonly days = new Map<number, Day>();

  constructor(policy: Pick<Policy, "timezone" | "businessHours" | "holidays" | "cutoff">) {
    this.zone = policy.timezone;
    keepZoneOffsets(policy.timezone);
    this.zoneRules = DateTime.fromMillis(0, { zone: policy.timezone }).zone;
    // luxon weekday: 1 = Monday … 7 = Sunday; index 0 unused.
    this.hours = [[], ...WEEKDAYS.map((d) => policy.businessHours[d].map(parseRange))];
    this.holidays = new HolidayCalendar(policy.holidays, policy.timezone);
    this.cutoffMinutes = policy.cutoff ? toMinutes(policy.cutoff) : null;
  }

  local(t: DateTime): DateTime {
    return t.setZone(this.zone);
  }

  isBusinessDay(day: DateTime): boolean {
    return this.day(this.dayNumber(day.toMillis())).open.length > 0;
  }

  /** The open intervals of the local day containing `day`, in order (empty on a closed day). */
  intervalsOn(day: DateTime): readonly Interval[] {
    return this.day(this.dayNumber(day.toMillis())).open.map((i) => ({ start: this.at(i.start), end: this.at(i.end) }));
  }

  isOpen(t: DateTime): boolean {
    const ms = t.toMillis();
    return this.day(this.dayNumber(ms)).open.some((i) => ms >= i.start && ms < i.end);
  }

  /** `t` itself when open, otherwise the start of the next open interval. */
  nextOpening(t: DateTime): DateTime {
    return this.at(this.openingFrom(t.toMillis()));
  }

  /**
   * When a request received at `t` starts its business clocks: at `t` if open, at the next opening
   * otherwise, and at the next business day's opening when `t` is on a business day at or after
   * the cut-off (seed 002: "toute demande après 16 h est traitée le lendemain").
   */
  clockStart(t: DateTime): DateTime {
    const ms = t.toMillis();
    const today = this.dayNumber(ms);
    if (
      this.cutoffMinutes !== null &&
      this.day(today).open.length > 0 &&
      minutesOfDay(this.local(t)) >= this.cutoffMinutes
    ) {
      return this.at(this.openingFrom(this.day(today + 1).midnight));
    }
    return this.at(this.openingFrom(ms));
  }

  /** The instant `minutes` business minutes after `t` (before it when negative). */
  addMinutes(t: DateTime, minutes: number): DateTime {
    const ms = Math.round(Math.abs(minutes) * MINUTE_MS);
    return this.at(minutes >= 0 ? this.forward(t.toMillis(), ms) : this.backward(t.toMillis(), ms));
  }

  /** Business minutes in [a, b); 0 when b is not after a. */
  minutesBetween(a: DateTime, b: DateTime): number {
    const from = a.toMillis();
    const to = b.toMillis();
    if (to <= from) return 0;
    let total = 0;
    for (let n = 0, d = this.dayNumber(from); n < MAX_DAYS * 10; n++, d++) {
      const day = this.day(d);
      if (day.midnight >= to) break;
      for (const i of day.open) {
        const s = Math.max(i.start, from);
        const e = Math.min(i.end, to);
        if (e > s) total += e - s;
      }
    }
    return total / MINUTE_MS;
  }

  /**
   * `n` business days after `t`, at the same time of day: the deadline a person means by "within
   * two business days". Starts from the next opening when `t` is closed; a time past that day's
   * closing is moved to the closing.
   */
  addBusinessDays(t: DateTime, n: number): DateTime {
    const start = this.openingFrom(t.toMillis());
    let d = this.dayNumber(start);
    for (let left = n, guard = 0; left > 0; guard++) {
      if (guard > MAX_DAYS) throw new Error("the business calendar has no open day within three years");
      d++;
      if (this.day(d).open.length > 0) left--;
    }
    const { open, midnight } = this.day(d);
    const wanted = wallClock(this.at(midnight), minutesOfDay(this.at(start))).toMillis();
    for (const i of open) if (wanted < i.end) return this.at(Math.max(wanted, i.start));
    return this.at(open[open.length - 1]!.end);
  }

  /**
   * `n` business days before `t`, at the same time of day (walking back day by day): where a
   * window such as "the last 7 business days" starts.
   */
  businessDaysBefore(t: DateTime, n: number): DateTime {
    let d = t;
    for (let left = n, guard = 0; left > 0; guard++) {
      if (guard > MAX_DAYS) throw new Error("the business calendar has no open day within three years");
      d = d.minus({ days: 1 });
      if (this.isBusinessDay(d)) left--;
    }
    return d;
  }

  /** An instant, as a DateTime in the calendar's zone. */
  private at(ms: number): DateTime {
    return DateTime.fromMillis(ms, { zone: this.zone });
  }

  /** The local day containing the instant `ms`, counted from 1970-01-01. */
  private dayNumber(ms: number): number {
    return Math.floor((ms + this.zoneRules.offset(ms) * MINUTE_MS) / DAY_MS);
  }

  /** Local day `n`: its midnight and open intervals (built once: the hours and holidays never change while running). */
  private day(n: number): Day {
    const known = this.days.get(n);
    if (known) return known;
    const date = DateTime.fromMillis(n * DAY_MS, { zone: "utc" });
    const d = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone: this.zone });
    const hours = this.hours[d.weekday] ?? [];
    const open = hours.length > 0 && !this.holidays.has(d.toISODate()!);
    const day: Day = Object.freeze({
      midnight: d.toMillis(),
      open: Object.freeze(
        open ? hours.map(([a, b]) => ({ start: wallClock(d, a).toMillis(), end: wallClock(d, b).toMillis() })) : [],
      ),
    });
    if (this.days.size >= KEPT_DAYS) this.days.clear();
    this.days.set(n, day);
    return day;
  }

  /** `ms` itself when open, otherwise the start of the next open interval. */
  private openingFrom(ms: number): number {
    for (let n = 0, d = this.dayNumber(ms); n < MAX_DAYS; n++, d++) {
      for (const i of this.day(d).open) {
        if (ms < i.start) return i.start;
        if (ms < i.end) return ms;
      }
    }
    throw new Error("the business calendar has no open day within three years");
  }

  /** The instant `left` business milliseconds after `ms`. */
  private forward(ms: number, left: number): number {
    let cursor = ms;
    for (let n = 0, d = this.dayNumber(ms); n < MAX_DAYS; n++, d++) {
      for (const i of this.day(d).open) {
        if (i.end <= cursor) continue;
        const from = Math.max(i.start, cursor);
        const room = i.end - from;
        if (left <= room) return from + left;
        left -= room;
        cursor = i.end;
      }
    }
    throw new Error("the business calendar has no open day within three years");
  }

  /** The instant `left` business milliseconds before `ms`. */
  private backward(ms: number, left: number): number {
    let cursor = ms;
    for (let n = 0, d = this.dayNumber(ms); n < MAX_DAYS; n++, d--) {
      const { open } = this.day(d);
      for (let k = open.length - 1; k >= 0; k--) {
        const i = open[k]!;
        if (i.start >= cursor) continue;
        const to = Math.min(i.end, cursor);
        const room = to - i.start;
        if (left <= room) return to - left;
        left -= room;
        cursor = i.start;
      }
    }
    throw new Error("the business calendar has no open day within three years");
  }
}

function parseRange(r: string): [number, number] {
  const [a, b] = r.split("-");
  return [toMinutes(a!), toMinutes(b!)];
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

function minutesOfDay(t: DateTime): number {
  return t.hour * 60 + t.minute + t.second / 60;
}

/** The local instant `minutes` after midnight of `day`, by wall clock (DST-safe). */
function wallClock(day: DateTime, minutes: number): DateTime {
  return day.set({ hour: Math.floor(minutes / 60), minute: Math.floor(minutes % 60), second: 0, millisecond: 0 });
}

/**
 * Stops a start whose calendar has no business day in the next `days` days from `now` (opening
 * hours on one weekday that the holidays all cover, a list typed for the wrong year…): every
 * business clock would stand still. The error names the fields to fix, as other policy mistakes do.
 */
export function assertBusinessDaysAhead(
  policy: Pick<Policy, "timezone" | "businessHours" | "holidays" | "cutoff">,
  now: DateTime,
  days = 30,
  source = "policy",
): void {
  const calendar = new BusinessCalendar(policy);
  const first = calendar.local(now).startOf("day");
  for (let n = 0; n < days; n++) if (calendar.isBusinessDay(first.plus({ days: n }))) return;
  throw new PolicyError(
    `Invalid policy in ${source}:\n  - businessHours, holidays: no business day in the ${days} days from ${first.toISODate()} (every open weekday is a holiday)`,
  );
}
