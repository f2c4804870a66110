import type { Clock } from "./clock.ts";
import type { Pulse } from "./periodic.ts";
import type { Store } from "./store/database.ts";

/** The scheduler is late when it has not finished a pass for this many intervals (and 10 s at least). */
const STALE_PASSES = 5;
const STALE_FLOOR_MS = 10_000;

/** How long the scheduler may go without a pass before it is late (/healthz) and its jobs overdue (/metrics). */
export function schedulerLateAfterMs(pulse: Pick<Pulse, "intervalMs">): number {
  return Math.max(STALE_PASSES * pulse.intervalMs, STALE_FLOOR_MS);
}

export interface HealthDeps {
  store: Pick<Store, "probe">;
  scheduler: { pulse(): Pulse };
  clock: Clock;
}

export interface HealthReport {
  /** 503 when the database takes no write, or the scheduler has stopped passing. */
  status: 200 | 503;
  body: {
    ok: boolean;
    database: { writable: boolean; problem?: string };
    scheduler: { ok: boolean; lastPassAt: string | null; staleAfterSeconds: number; problem?: string };
    /** Posts recorded and not sent yet, and posts given up (null when the database cannot be read). */
    outbox: { pending: number; failed: number } | null;
  };
}

/**
 * What `GET /healthz` answers, wherever it is mounted: a real write to the database (it can be
 * deleted, replaced, read-only, or PostgreSQL down), the scheduler's last pass, the outbox backlog.
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const probe = await deps.store.probe();
  const pulse = deps.scheduler.pulse();
  const staleAfterMs = schedulerLateAfterMs(pulse);
  // Before its first pass, the scheduler is judged from when it started.
  const since = pulse.lastPassAt ?? pulse.startedAt;
  const late = since ? deps.clock.now().diff(since).toMillis() > staleAfterMs : true;
  const problem = !since
    ? "the scheduler is not running"
    : late
      ? `no scheduler pass since ${since.toUTC().toISO()}`
      : undefined;
  const ok = probe.writable && !problem;
  return {
    status: ok ? 200 : 503,
    body: {
      ok,
      database: probe.writable ? { writable: true } : { writable: false, problem: probe.problem },
      scheduler: {
        ok: !problem,
        lastPassAt: pulse.lastPassAt?.toUTC().toISO() ?? null,
        staleAfterSeconds: staleAfterMs / 1000,
        ...(problem ? { problem } : {}),
      },
      outbox: probe.writable ? probe.outbox : null,
    },
  };
}
