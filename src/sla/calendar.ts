import { DateTime } from "luxon";
import { PolicyError, WEEKDAYS, type Policy } from "../config/policy.ts";
import { HolidayCalendar } from "./holidays.ts";
import { keepZoneOffsets } from "./zone-offsets.ts";

/**
 * Business time in the policy's time zone: opening hours per weekday, holidays and the cut-off.
 * Every interval is built from local wall-clock times, so a day keeps its opening hours across a
 * daylight-saving change and business minutes are real elapsed minutes inside those hours.
 */
interface Interval {
  start: DateTime;
  end: DateTime;
}

/** How far the walks look for an open day before deciding the calendar has none (policy bug). */
const MAX_DAYS = 3 * 366;

/** Local days whose open intervals are kept (each walk of a deadline asks for the same few days). */
const KEPT_DAYS = 2048;

export class BusinessCalendar {
  private readonly hours: ReadonlyArray<ReadonlyArray<[number, number]>>;
  /** The closed days (generated per year on first use, or the hand-typed list). */
  readonly holidays: HolidayCalendar;
  private readonly cutoffMinutes: number | null;
  readonly zone: string;
  /**
   * The open intervals of each local day already asked for, by day: the hours and holidays never
   * change while the process runs, and building an interval costs luxon a time-zone lookup.
   */
  private readonly days = new Map<number, readonly Interval[]>();

  constructor(policy: Pick<Policy, "timezone" | "businessHours" | "holidays" | "cutoff">) {
    this.zone = policy.timezone;
    keepZoneOffsets(policy.timezone);
    // luxon weekday: 1 = Monday … 7 = Sunday; index 0 unused.
    this.hours = [[], ...WEEKDAYS.map((d) => policy.businessHours[d].map(parseRange))];
    this.holidays = new HolidayCalendar(policy.holidays, policy.timezone);
    this.cutoffMinutes = policy.cutoff ? toMinutes(policy.cutoff) : null;
  }

  local(t: DateTime): DateTime {
    return t.setZone(this.zone);
  }

  isBusinessDay(day: DateTime): boolean {
    return this.intervalsOn(day).length > 0;
  }

  /** The open intervals of the local day containing `day`, in order (empty on a closed day). */
  intervalsOn(day: DateTime): readonly Interval[] {
    const local = this.local(day);
    const key = local.year * 512 + local.month * 32 + local.day;
    const known = this.days.get(key);
    if (known) return known;
    const d = local.startOf("day");
    const open = (this.hours[d.weekday]?.length ?? 0) > 0 && !this.holidays.has(d.toISODate()!);
    const intervals = Object.freeze(
      open ? this.hours[d.weekday]!.map(([a, b]) => ({ start: at(d, a), end: at(d, b) })) : [],
    );
    if (this.days.size >= KEPT_DAYS) this.days.clear();
    this.days.set(key, intervals);
    return intervals;
  }

  isOpen(t: DateTime): boolean {
    return this.intervalsOn(t).some((i) => t >= i.start && t < i.end);
  }

  /** `t` itself when open, otherwise the start of the next open interval. */
  nextOpening(t: DateTime): DateTime {
    let day = this.local(t).startOf("day");
    for (let n = 0; n < MAX_DAYS; n++, day = day.plus({ days: 1 })) {
      for (const i of this.intervalsOn(day)) {
        if (t < i.start) return i.start;
        if (t < i.end) return this.local(t);
      }
    }
    throw new Error("the business calendar has no open day within three years");
  }

  /**
   * When a request received at `t` starts its business clocks: at `t` if open, at the next opening
   * otherwise, and at the next business day's opening when `t` is on a business day at or after
   * the cut-off (seed 002: "toute demande après 16 h est traitée le lendemain").
   */
  clockStart(t: DateTime): DateTime {
    const local = this.local(t);
    if (this.cutoffMinutes !== null && this.isBusinessDay(local) && minutesOfDay(local) >= this.cutoffMinutes) {
      return this.nextOpening(local.startOf("day").plus({ days: 1 }));
    }
    return this.nextOpening(local);
  }

  /** The instant `minutes` business minutes after `t` (before it when negative). */
  addMinutes(t: DateTime, minutes: number): DateTime {
    return minutes >= 0 ? this.forward(t, minutes) : this.backward(t, -minutes);
  }

  /** Business minutes in [a, b); 0 when b is not after a. */
  minutesBetween(a: DateTime, b: DateTime): number {
    if (b <= a) return 0;
    let total = 0;
    let day = this.local(a).startOf("day");
    for (let n = 0; n < MAX_DAYS * 10 && day < b; n++, day = day.plus({ days: 1 })) {
      for (const i of this.intervalsOn(day)) {
        const s = DateTime.max(i.start, a);
        const e = DateTime.min(i.end, b);
        if (e > s) total += e.diff(s, "minutes").minutes;
      }
    }
    return total;
  }

  /**
   * `n` business days after `t`, at the same time of day: the deadline a person means by "within
   * two business days". Starts from the next opening when `t` is closed; a time past that day's
   * closing is moved to the closing.
   */
  addBusinessDays(t: DateTime, n: number): DateTime {
    const start = this.nextOpening(t);
    let day = start.startOf("day");
    for (let left = n, guard = 0; left > 0; guard++) {
      if (guard > MAX_DAYS) throw new Error("the business calendar has no open day within three years");
      day = day.plus({ days: 1 });
      if (this.isBusinessDay(day)) left--;
    }
    const intervals = this.intervalsOn(day);
    const wanted = at(day, minutesOfDay(start));
    for (const i of intervals) if (wanted < i.end) return DateTime.max(wanted, i.start);
    return intervals[intervals.length - 1]!.end;
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

  private forward(t: DateTime, minutes: number): DateTime {
    let left = minutes;
    let cursor = this.local(t);
    let day = cursor.startOf("day");
    for (let n = 0; n < MAX_DAYS; n++, day = day.plus({ days: 1 })) {
      for (const i of this.intervalsOn(day)) {
        if (i.end <= cursor) continue;
        const from = DateTime.max(i.start, cursor);
        const room = i.end.diff(from, "minutes").minutes;
        if (left <= room) return from.plus({ minutes: left });
        left -= room;
        cursor = i.end;
      }
    }
    throw new Error("the business calendar has no open day within three years");
  }

  private backward(t: DateTime, minutes: number): DateTime {
    let left = minutes;
    let cursor = this.local(t);
    let day = cursor.startOf("day");
    for (let n = 0; n < MAX_DAYS; n++, day = day.minus({ days: 1 })) {
      for (const i of [...this.intervalsOn(day)].reverse()) {
        if (i.start >= cursor) continue;
        const to = DateTime.min(i.end, cursor);
        const room = to.diff(i.start, "minutes").minutes;
        if (left <= room) return to.minus({ minutes: left });
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
function at(day: DateTime, minutes: number): DateTime {
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
