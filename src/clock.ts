import { DateTime } from "luxon";

/** Time is injected: the domain asks a Clock, never the wall clock, so tests control it. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.utc() };

/** A clock that only moves when told to (tests, benchmarks). */
export class ManualClock implements Clock {
  constructor(private current: DateTime) {}
  now(): DateTime {
    return this.current;
  }
  set(t: DateTime): void {
    this.current = t;
  }
  advance(d: { minutes?: number; hours?: number; days?: number }): void {
    this.current = this.current.plus(d);
  }
}
