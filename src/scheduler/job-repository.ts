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

/** Whether a pending job already is `job`: same kind, time and payload (a resync leaves it, and its claim, alone). */
export function sameJob(pending: JobSpec | undefined, job: JobSpec): boolean {
  return (
    pending !== undefined &&
    pending.kind === job.kind &&
    pending.dueAt.toMillis() === job.dueAt.toMillis() &&
    JSON.stringify(pending.payload) === JSON.stringify(job.payload)
  );
}
