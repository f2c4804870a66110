import type { Logger } from "pino";

/**
 * Work that follows an acknowledgement (bolt-js's "ack first, then work"). Acks are what the
 * platform times (3 s on Slack and Discord), so during a burst of requests — the Monday-morning
 * rush of seed 001, "répondre rapidement au lieu de régler" — queued work waits until requests have
 * been quiet for `quietMs`, but never more than `maxWaitMs`, then runs a few jobs at a time.
 */
export class AfterAck {
  private readonly queue: { job: () => Promise<void>; at: number }[] = [];
  private running = 0;
  private lastRequest = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];
  private draining = false;

  constructor(
    private readonly opts: { concurrency?: number; quietMs?: number; maxWaitMs?: number; log?: Logger } = {},
  ) {}

  /** Called for every incoming request, so work steps aside while a burst is being acked. */
  noteRequest(): void {
    this.lastRequest = performance.now();
  }

  push(job: () => Promise<void>): void {
    this.queue.push({ job, at: performance.now() });
    this.pump();
  }

  /** Runs what is queued now, without waiting for quiet, and resolves once all of it has finished (shutdown, tests). */
  drain(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    this.draining = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const done = new Promise<void>((resolve) => this.idle.push(resolve));
    this.pump();
    return done;
  }

  private pump(): void {
    const concurrency = this.opts.concurrency ?? 4;
    const quiet = this.opts.quietMs ?? 5;
    const maxWait = this.opts.maxWaitMs ?? 200;
    while (this.running < concurrency && this.queue.length > 0) {
      const now = performance.now();
      const waitQuiet = this.lastRequest + quiet - now;
      const waitMax = this.queue[0]!.at + maxWait - now;
      const wait = this.draining ? 0 : Math.min(waitQuiet, waitMax);
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.ceil(wait));
        return;
      }
      const { job } = this.queue.shift()!;
      this.running++;
      setImmediate(() => {
        job()
          .catch((e: unknown) => this.opts.log?.error({ err: e }, "work after ack failed"))
          .finally(() => {
            this.running--;
            this.pump();
            if (this.running === 0 && this.queue.length === 0) {
              this.draining = false;
              for (const r of this.idle.splice(0)) r();
            }
          });
      });
    }
  }
}
