import type { Logger } from "pino";

/**
 * The requests of this process waiting for their acknowledgement, every surface's (issue 16, "acks
 * never wait behind work"): what work that can wait — the jobs after acks, the outbox's sends —
 * steps aside for.
 */
export class AckPressure {
  /** Requests that arrived and are not acknowledged yet. */
  private pending = 0;
  private lastRequest = 0;
  private readonly released = new Set<() => void>();
  private readonly waiters: { resolve: () => void; timer: NodeJS.Timeout | undefined }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: { quietMs?: number; maxWaitMs?: number } = {}) {}

  /** Connections accepted so far, and whether a turn of the loop without a new one is awaited. */
  private accepted = 0;
  private watching = false;

  /**
   * A new connection was accepted: a request is on its way, and maybe more connections. Node accepts
   * one connection per turn of its loop (libuv 1.46), so others may wait in the kernel's queue,
   * unseen: work that ran between two accepts held them there (a burst of 500 new connections took
   * seconds to be acknowledged, issue 16). The pressure lasts until a turn of the loop passes
   * without a new connection.
   */
  connected(): void {
    this.accepted++;
    this.noteRequest();
    if (this.watching) return;
    this.watching = true;
    const release = this.arriving();
    // An immediate set during a poll phase runs after it; one set from there runs after the next poll.
    const watch = () =>
      setImmediate(() => {
        const seen = this.accepted;
        setImmediate(() => {
          if (this.accepted !== seen) return watch();
          this.watching = false;
          release();
        });
      });
    watch();
  }

  /** A request came (one that needs no ack, or one counted by `arriving`). */
  noteRequest(): void {
    this.lastRequest = performance.now();
  }

  /**
   * A request arrived and waits for its ack: work steps aside until it is acknowledged (the returned
   * function, called once it is — or once its handling ended, whichever comes first; idempotent).
   */
  arriving(): () => void {
    this.noteRequest();
    this.pending++;
    let acked = false;
    return () => {
      if (acked) return;
      acked = true;
      this.pending--;
      this.noteRequest();
      if (this.pending === 0) this.settle();
    };
  }

  /** When the last request came (performance.now()), and whether one still waits for its ack. */
  lastRequestAt(): { at: number; pending: boolean } {
    return { at: this.lastRequest, pending: this.pending > 0 };
  }

  /** Whether a request waits for its ack, or one came less than `quietMs` ago. */
  pressed(quietMs = this.opts.quietMs ?? 5): boolean {
    return this.pending > 0 || performance.now() < this.lastRequest + quietMs;
  }

  /** When quiet may begin, if nothing else comes: `quietMs` after the last request, once none is pending. */
  quietAt(quietMs = this.opts.quietMs ?? 5): number {
    return this.pending > 0 ? Number.POSITIVE_INFINITY : this.lastRequest + quietMs;
  }

  /** Calls `f` whenever the last pending request is acknowledged. */
  onRelease(f: () => void): void {
    this.released.add(f);
  }

  /**
   * Resolves once no request waits for its ack and none came for `quietMs`, or after `maxWaitMs`
   * (work is delayed, never starved): for work outside a queue (the outbox's sends).
   */
  quiet(): Promise<void> {
    if (!this.pressed()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const w: (typeof this.waiters)[number] = { resolve, timer: undefined };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        resolve();
      }, this.opts.maxWaitMs ?? 1000);
      this.waiters.push(w);
      this.settle();
    });
  }

  private settle(): void {
    for (const f of this.released) f();
    if (this.waiters.length === 0) return;
    if (!this.pressed()) {
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.resolve();
      }
      return;
    }
    const at = this.quietAt();
    if (!Number.isFinite(at) || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.settle();
      },
      Math.max(1, Math.ceil(at - performance.now())),
    );
  }
}

/**
 * Work that follows an acknowledgement (bolt-js's "ack first, then work"). Acks are what the
 * platform times (3 s on Slack and Discord), so during a burst of requests — the Monday-morning
 * rush of seed 001, "répondre rapidement au lieu de régler" — queued work steps aside: no job starts
 * while a request waits for its ack (`AckPressure.arriving`) nor until requests have been quiet for
 * `quietMs`; then a few run at a time (`concurrency`). Work is never held longer than `maxWaitMs`:
 * past it, under a pressure that does not let up, one job runs at a time, and after a job that took
 * d ms the next waits d ms more: work gets half the time, the requests the other half. Starting the
 * next job on the next loop turn was not enough: Node accepts one new connection per turn of its
 * loop, so with a job in every turn a burst of 500 new connections sat in the kernel's queue and
 * some acks took 2–4 s (issue 16, measured with `ss` and strace).
 */
export class AfterAck {
  private readonly queue: { job: () => Promise<void>; at: number; done: () => void }[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private idle: (() => void)[] = [];
  private draining = false;
  /** Under pressure, no job starts before this (performance.now()): the requests' half of the time. */
  private restUntil = 0;
  readonly pressure: AckPressure;

  constructor(
    private readonly opts: {
      concurrency?: number;
      quietMs?: number;
      maxWaitMs?: number;
      log?: Logger;
      /** Shared by the surfaces of one process; its own otherwise. */
      pressure?: AckPressure;
    } = {},
  ) {
    this.pressure = opts.pressure ?? new AckPressure();
    this.pressure.onRelease(() => this.pump());
  }

  /** Called for every incoming request, so work steps aside while a burst is being acked. */
  noteRequest(): void {
    this.pressure.noteRequest();
  }

  /** A request that waits for its ack (see AckPressure.arriving). */
  arriving(): () => void {
    return this.pressure.arriving();
  }

  /** Queues `job`; resolves once it has run (its failure is logged, never thrown). */
  push(job: () => Promise<void>): Promise<void> {
    return new Promise<void>((done) => {
      this.queue.push({ job, at: performance.now(), done });
      this.pump();
    });
  }

  /** Runs what is queued now, without waiting for quiet, and resolves once all of it has finished (shutdown, tests). */
  drain(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    this.draining = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const done = new Promise<void>((resolve) => this.idle.push(resolve));
    this.pump();
    return done;
  }

  private pump(): void {
    const concurrency = this.opts.concurrency ?? 4;
    const quiet = this.opts.quietMs ?? 5;
    const maxWait = this.opts.maxWaitMs ?? 1000;
    const now = performance.now();
    const pressed = !this.draining && this.pressure.pressed(quiet);
    while (this.queue.length > 0 && this.running < (pressed ? 1 : concurrency)) {
      // Under pressure, only work that has waited maxWait runs, one job at a time, in its half of the time.
      if (pressed && (now < this.queue[0]!.at + maxWait || now < this.restUntil)) break;
      const { job, done } = this.queue.shift()!;
      this.running++;
      // Started after the I/O that is ready (requests that arrived meanwhile) was handled.
      setImmediate(() => {
        const started = performance.now();
        job()
          .catch((e: unknown) => this.opts.log?.error({ err: e }, "work after ack failed"))
          .finally(() => {
            const ended = performance.now();
            if (pressed) this.restUntil = ended + (ended - started);
            this.running--;
            done();
            this.pump();
            if (this.running === 0 && this.queue.length === 0) {
              this.draining = false;
              for (const r of this.idle.splice(0)) r();
            }
          });
      });
    }
    if (!pressed || this.queue.length === 0) return;
    // Woken when quiet may begin, or when the oldest job has waited maxWait and the requests have had
    // their half of the time (an ack also wakes it).
    const at = Math.min(this.pressure.quietAt(quiet), Math.max(this.queue[0]!.at + maxWait, this.restUntil));
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(1, Math.ceil(at - now)),
    );
  }
}
