import { DateTime } from "luxon";
import type { Policy, SlaRow } from "../config/policy.ts";
import type { Priority } from "../tickets/priority.ts";
import { BusinessCalendar } from "./calendar.ts";
import { addDuration, subtractDuration, type DurationClock, type PolicyDuration } from "./duration.ts";

/**
 * The SLA grid applied to time: deadlines for a priority from a start instant, on the priority's
 * clock ("24/7" counts every minute; "business" counts business hours and honours the cut-off).
 */
export class SlaClock {
  readonly calendar: BusinessCalendar;

  constructor(readonly policy: Policy) {
    this.calendar = new BusinessCalendar(policy);
  }

  row(priority: Priority): SlaRow {
    return this.policy.sla[priority];
  }

  /** When the clocks of a request received at `receivedAt` start. */
  start(priority: Priority, receivedAt: DateTime): DateTime {
    return this.row(priority).clock === "24/7" ? receivedAt : this.calendar.clockStart(receivedAt);
  }

  /** `from` plus a policy duration on the priority's clock. */
  add(priority: Priority, from: DateTime, d: PolicyDuration): DateTime {
    return addDuration(from, d, this.clockOf(priority));
  }

  /** `due` minus the priority's warning delay, on its clock, never before `from`. */
  warnAt(priority: Priority, due: DateTime, from: DateTime): DateTime {
    return DateTime.max(subtractDuration(due, this.row(priority).warnBefore, this.clockOf(priority)), from);
  }

  /**
   * What the priority's durations are counted on: business hours and business days on the
   * calendar for a "business" clock; elapsed time for "24/7", where a "bd" is 24 h.
   */
  clockOf(priority: Priority): DurationClock {
    return this.row(priority).clock === "business" ? { calendar: this.calendar, businessHours: true } : {};
  }

  /** Time left between two instants on the priority's clock, in minutes. */
  remaining(priority: Priority, from: DateTime, due: DateTime): number {
    if (due <= from) return 0;
    return this.row(priority).clock === "business"
      ? this.calendar.minutesBetween(from, due)
      : due.diff(from, "minutes").minutes;
  }

  /** `from` plus plain minutes on the priority's clock (used to carry a paused deadline over). */
  addMinutes(priority: Priority, from: DateTime, minutes: number): DateTime {
    return this.row(priority).clock === "business" ? this.calendar.addMinutes(from, minutes) : from.plus({ minutes });
  }

  /** Deadlines of a new ticket (or of a priority change, counted from the change). */
  deadlines(
    priority: Priority,
    receivedAt: DateTime,
  ): { clockStart: DateTime; firstResponseDue: DateTime; resolutionDue: DateTime | null } {
    const row = this.row(priority);
    const clockStart = this.start(priority, receivedAt);
    return {
      clockStart,
      firstResponseDue: this.add(priority, clockStart, row.firstResponse),
      resolutionDue: row.resolution === "ASAP" ? null : this.add(priority, clockStart, row.resolution),
    };
  }

  /** The next status update promised after an update posted at `at` (rule 4, cadence per priority). */
  nextUpdateDue(priority: Priority, at: DateTime): DateTime {
    return this.add(priority, at, this.row(priority).updateEvery);
  }

  /**
   * A deadline carried over a pause (waiting on the requester, as GLPI and Zammad do): the time that
   * was left when the pause began is counted again from the resumption. A deadline already passed
   * when the pause began stays where it was.
   */
  carryOver(priority: Priority, due: DateTime, pausedAt: DateTime, resumedAt: DateTime): DateTime {
    if (due <= pausedAt) return due;
    const left = this.remaining(priority, pausedAt, due);
    return this.addMinutes(priority, resumedAt, left);
  }
}
