import type { Logger } from "pino";

/**
 * A pass of work run now and then, never two at once: `run()` starts a pass or joins the one under
 * way; `start()` runs it on an interval (a failed pass is logged, the next one tries again);
 * `stop()` ends the interval and waits for the pass under way.
 */
export class Periodic<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly pass: () => Promise<T>,
    /** Logged when a pass started by the interval fails, e.g. "outbox pass failed". */
    private readonly failure: string,
    private readonly log?: Logger,
  ) {}

  run(): Promise<T> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(
      () => void this.run().catch((e: unknown) => this.log?.error({ err: e }, this.failure)),
      intervalMs,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
