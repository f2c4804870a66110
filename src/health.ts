import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "./clock.ts";
import type { Pulse } from "./periodic.ts";
import type { Store } from "./store/database.ts";

/** The scheduler is late when it has not finished a pass for this many intervals (and 10 s at least). */
const STALE_PASSES = 5;
const STALE_FLOOR_MS = 10_000;

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
  const staleAfterMs = Math.max(STALE_PASSES * pulse.intervalMs, STALE_FLOOR_MS);
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

/** checkHealth as a node:http handler (Bolt's custom routes take one), JSON body. */
export function healthHandler(deps: HealthDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (_req, res) => {
    const report = await checkHealth(deps);
    res.writeHead(report.status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(report.body));
  };
}

/**
 * `GET /healthz` on a server of its own (`port` 0: any free port), for the modes with no HTTP
 * server to mount it on: Discord alone, Slack in Socket Mode. Anything else gets 404.
 */
export async function serveHealth(
  deps: HealthDeps,
  port: number,
  /** More routes on the same server (the status page): tried in turn, 404 when none answers. */
  routes: { route(req: IncomingMessage, res: ServerResponse): Promise<boolean>; close?(): void }[] = [],
): Promise<{ port: number; close(): Promise<void> }> {
  const handle = healthHandler(deps);
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === "/healthz") {
      handle(req, res).catch(() => {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false }));
      });
      return;
    }
    void (async () => {
      for (const r of routes) if (await r.route(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const r of routes) r.close?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
