import type { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Clock } from "./clock.ts";

/** When a periodic worker last finished a pass, and on what interval it runs (for /healthz). */
export interface Pulse {
  /** When the last pass that succeeded ended; undefined before the first one. */
  lastPassAt: DateTime | undefined;
  /** When `start()` was called; undefined when the interval was never started. */
  startedAt: DateTime | undefined;
  intervalMs: number;
}

/**
 * A pass of work run now and then, never two at once: `run()` starts a pass or joins the one under
 * way; `start()` runs it on an interval (a failed pass is logged, the next one tries again);
 * `stop()` ends the interval and waits for the pass under way. A failure that lasts (a database
 * gone) is logged when it starts, then about once a minute, and its end is logged: not every tick.
 */
export abstract class Periodic<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private lastPassAt: DateTime | undefined;
  private startedAt: DateTime | undefined;
  private intervalMs: number;
  /** Passes started by the interval that failed in a row. */
  private failedInARow = 0;

  constructor(
    private readonly every: {
      /** Logged when a pass started by the interval fails, e.g. "outbox pass failed". */
      failure: string;
      /** The interval when `start()` is given none. */
      intervalMs: number;
      log?: Logger | undefined;
      /** Times the passes (see pulse()). */
      clock?: Clock | undefined;
    },
  ) {
    this.intervalMs = every.intervalMs;
  }

  protected abstract pass(): Promise<T>;

  protected run(): Promise<T> {
    this.running ??= this.pass()
      .then((result) => {
        this.lastPassAt = this.every.clock?.now();
        return result;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves once the pass under way, if any, has ended (however it ended). */
  protected async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  pulse(): Pulse {
    return { lastPassAt: this.lastPassAt, startedAt: this.startedAt, intervalMs: this.intervalMs };
  }

  start(intervalMs = this.every.intervalMs): void {
    this.intervalMs = intervalMs;
    this.startedAt ??= this.every.clock?.now();
    this.timer ??= setInterval(
      () =>
        void this.run().then(
          () => this.succeeded(),
          (e: unknown) => this.failed(e),
        ),
      intervalMs,
    );
  }

  private failed(e: unknown): void {
    this.failedInARow++;
    const aMinute = Math.max(1, Math.round(60_000 / this.intervalMs));
    if (this.failedInARow === 1 || this.failedInARow % aMinute === 0)
      this.every.log?.error({ err: e, failedPasses: this.failedInARow }, this.every.failure);
  }

  private succeeded(): void {
    if (this.failedInARow === 0) return;
    this.every.log?.warn({ failedPasses: this.failedInARow }, `${this.every.failure}: passes succeed again`);
    this.failedInARow = 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
