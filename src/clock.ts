import { DateTime } from "luxon";

/** Time is injected: the domain asks a Clock, never the wall clock, so tests control it. */
export interface Clock {
  now(): DateTime;
}

/** The wall clock as it reads (Slack's signed timestamps are wall times). */
export const systemClock: Clock = { now: () => DateTime.utc() };

/** Where a WallClock reads time: the wall clock and a monotonic one, in milliseconds. */
export interface TimeSources {
  wall(): number;
  monotonic(): number;
}

const SYSTEM_SOURCES: TimeSources = { wall: () => Date.now(), monotonic: () => performance.now() };

/**
 * The wall clock, watched for steps (issue 14). Due times are promises people read as wall times
 * ("next update at 11:00"), so they are compared with the wall clock: after a step, a promised
 * update goes out at the first tick its wall time is reached, never later. Between two readings
 * the wall clock should move as the monotonic clock does; when it jumps (an NTP correction, a VM
 * resumed, an operator's `date -s`) the step is reported, so a cadence that seems to stall or rush
 * is explained in the log. Small drifts (NTP slewing) under `toleranceMs` are not steps.
 */
export class WallClock implements Clock {
  private lastWall: number;
  private lastMono: number;

  constructor(
    private readonly opts: {
      /** Told of each step: positive forward, negative backward, in milliseconds. */
      onStep?: (stepMs: number) => void;
      sources?: TimeSources;
      toleranceMs?: number;
    } = {},
  ) {
    this.lastWall = this.sources.wall();
    this.lastMono = this.sources.monotonic();
  }

  private get sources(): TimeSources {
    return this.opts.sources ?? SYSTEM_SOURCES;
  }

  now(): DateTime {
    const wall = this.sources.wall();
    const mono = this.sources.monotonic();
    const step = wall - this.lastWall - (mono - this.lastMono);
    if (Math.abs(step) > (this.opts.toleranceMs ?? 1000)) this.opts.onStep?.(step);
    this.lastWall = wall;
    this.lastMono = mono;
    return DateTime.fromMillis(wall, { zone: "utc" });
  }
}

/**
 * A clock that only moves when told to (tests, benchmarks). It reads in UTC, as the wall clock
 * does, whatever zone it was set in (tests set it in Paris time, for reading): code that formatted
 * or computed in the zone of "now" instead of the policy's would pass here and fail in production.
 */
export class ManualClock implements Clock {
  constructor(private current: DateTime) {}
  now(): DateTime {
    return this.current.toUTC();
  }
  set(t: DateTime): void {
    this.current = t;
  }
  advance(d: { seconds?: number; minutes?: number; hours?: number; days?: number }): void {
    this.current = this.current.plus(d);
  }
}
