import type { DateTime } from "luxon";

export interface JobSpec {
  /** One pending job per key; scheduling the same key again moves it. */
  key: string;
  kind: string;
  dueAt: DateTime;
  payload: Record<string, unknown>;
}

export interface ClaimedJob extends JobSpec {
  id: number;
  attempts: number;
}

/** The stored timed work. Claims carry a lease: a crashed claimer's job is taken over after it. */
export interface JobRepository {
  schedule(job: JobSpec, now: DateTime): Promise<void>;
  cancel(key: string): Promise<void>;
  /** Claims up to `limit` due jobs (earliest first) for `worker` until now + leaseMs. */
  claimDue(now: DateTime, worker: string, leaseMs: number, limit: number): Promise<ClaimedJob[]>;
  /** Extends `worker`'s lease of a claimed job to `until`; false when the claim was lost. */
  renew(id: number, worker: string, until: DateTime): Promise<boolean>;
  /** Marks a claimed job done; false when the claim was lost (lease expired, job moved). */
  complete(id: number, worker: string, now: DateTime): Promise<boolean>;
  /** Gives a failed attempt back, due again at `retryAt`; after too many attempts, marks it failed. */
  release(id: number, worker: string, retryAt: DateTime, failed: boolean): Promise<void>;
  pending(key: string): Promise<{ dueAt: DateTime; kind: string } | undefined>;
  /** The pending jobs among `keys`, by key, in one read (the start-up resync compares before it writes). */
  pendingAmong(keys: readonly string[]): Promise<Map<string, JobSpec>>;
  /** Pending jobs, for the owners of a subject (tests and `/outage list`). */
  countPending(): Promise<number>;
  /** Jobs still pending that were due before `dueBefore` (overdue: the scheduler is behind, for /metrics). */
  countOverdue(dueBefore: DateTime): Promise<number>;
}

/** The jobs a record needs now, and the keys of those it no longer needs (a ticket's or an outage's timers). */
export interface JobPlan {
  schedule: JobSpec[];
  cancel: string[];
}

/** Writes `plan`: each job scheduled (moved if it was pending), each key cancelled. */
export async function writePlan(jobs: JobRepository, plan: JobPlan, now: DateTime): Promise<void> {
  for (const job of plan.schedule) await jobs.schedule(job, now);
  for (const key of plan.cancel) await jobs.cancel(key);
}

/**
 * What of `plan` is not so already, read in one query: a start-up resync writes only that, so a
 * job another replica has claimed (an update being posted) keeps its claim (issue 16).
 */
export async function unwritten(jobs: JobRepository, plan: JobPlan): Promise<JobPlan> {
  const pending = await jobs.pendingAmong([...plan.schedule.map((j) => j.key), ...plan.cancel]);
  return {
    schedule: plan.schedule.filter((j) => !sameJob(pending.get(j.key), j)),
    cancel: plan.cancel.filter((key) => pending.has(key)),
  };
}

/** Whether a pending job already is `job`: same kind, time and payload. */
function sameJob(pending: JobSpec | undefined, job: JobSpec): boolean {
  return (
    pending !== undefined &&
    pending.kind === job.kind &&
    pending.dueAt.toMillis() === job.dueAt.toMillis() &&
    JSON.stringify(pending.payload) === JSON.stringify(job.payload)
  );
}
