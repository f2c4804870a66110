import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { Periodic } from "../periodic.ts";
import { NO_UNIT, type UnitOfWork } from "../unit-of-work.ts";
import type { ClaimedJob, JobRepository } from "./job-repository.ts";

export interface JobContext {
  now: DateTime;
  /** Minutes past the due time (after downtime): messages say they are late. */
  lateMinutes: number;
}

export type JobHandler = (job: ClaimedJob, ctx: JobContext) => Promise<void>;

const MAX_ATTEMPTS = 5;

/**
 * Fires stored jobs when due, once each. `tick()` does one pass (tests drive it on a manual clock);
 * `start()` runs it on an interval in a real process. A job whose handler fails is retried later,
 * then marked failed; a job claimed by a replica that died is taken over when its lease ends.
 */
export class Scheduler extends Periodic<number> {
  private readonly handlers = new Map<string, JobHandler>();
  readonly worker: string;
  private readonly unit: UnitOfWork;

  constructor(
    private readonly jobs: JobRepository,
    private readonly clock: Clock,
    private readonly opts: {
      leaseMs?: number;
      batch?: number;
      lateAfterMinutes?: number;
      log?: Logger;
      worker?: string;
      /** Where each job's writes commit together; without one, each write commits alone. */
      unit?: UnitOfWork;
    } = {},
  ) {
    super({ failure: "scheduler pass failed", intervalMs: 1000, log: opts.log, clock });
    this.worker = opts.worker ?? `worker-${randomUUID().slice(0, 8)}`;
    this.unit = opts.unit ?? NO_UNIT;
  }

  on(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  /** One pass over the due jobs; returns how many fired. Passes never overlap. */
  tick(): Promise<number> {
    return this.run();
  }

  protected async pass(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.jobs.claimDue(now, this.worker, this.opts.leaseMs ?? 60_000, this.opts.batch ?? 50);
      if (batch.length === 0) return fired;
      for (const job of batch) {
        const handler = this.handlers.get(job.kind);
        try {
          if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
          const late = Math.max(0, now.diff(job.dueAt, "minutes").minutes);
          const ctx = { now, lateMinutes: late >= (this.opts.lateAfterMinutes ?? 2) ? Math.round(late) : 0 };
          // One unit of work: what the handler writes (posts, records, the next job) and the job
          // marked done commit together, so a cadence cannot stop between them. The lease renewed
          // first: a claim lost meanwhile (this replica stalled past it) leaves the job to its new
          // holder, and on PostgreSQL the renewal locks the job's row until the commit.
          const done = await this.unit.run(async () => {
            const until = this.clock.now().plus({ milliseconds: this.opts.leaseMs ?? 60_000 });
            if (!(await this.jobs.renew(job.id, this.worker, until))) return false;
            await handler(job, ctx);
            await this.jobs.complete(job.id, this.worker, this.clock.now());
            return true;
          });
          if (done) fired++;
          else this.opts.log?.warn({ job: job.key }, "job taken over by another worker");
        } catch (e) {
          this.opts.log?.error({ err: e, job: job.key }, "job failed");
          await this.jobs.release(
            job.id,
            this.worker,
            this.clock.now().plus({ seconds: 30 * job.attempts }),
            job.attempts >= MAX_ATTEMPTS,
          );
        }
      }
      if (batch.length < (this.opts.batch ?? 50)) return fired;
    }
  }
}
