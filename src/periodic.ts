import type { Logger } from "pino";

/**
 * A pass of work run now and then, never two at once: `run()` starts a pass or joins the one under
 * way; `start()` runs it on an interval (a failed pass is logged, the next one tries again);
 * `stop()` ends the interval and waits for the pass under way.
 */
export abstract class Periodic<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly every: {
      /** Logged when a pass started by the interval fails, e.g. "outbox pass failed". */
      failure: string;
      /** The interval when `start()` is given none. */
      intervalMs: number;
      log?: Logger | undefined;
    },
  ) {}

  protected abstract pass(): Promise<T>;

  protected run(): Promise<T> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  start(intervalMs = this.every.intervalMs): void {
    this.timer ??= setInterval(
      () => void this.run().catch((e: unknown) => this.every.log?.error({ err: e }, this.every.failure)),
      intervalMs,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
