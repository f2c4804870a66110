import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkHealth, type HealthDeps } from "./health.ts";
import type { RelaisMetrics } from "./metrics.ts";

/** What an operator's probes read: the health report and the metrics. */
export interface OperationsDeps extends HealthDeps {
  metrics: Pick<RelaisMetrics, "exposition" | "contentType">;
}

/** The paths answered, for the servers that mount them one route each (Bolt's custom routes). */
export const OPERATIONS_PATHS = ["/healthz", "/metrics"] as const;

/**
 * One node:http handler for `GET /healthz` (JSON, 503 when unhealthy: src/health.ts) and
 * `GET /metrics` (Prometheus's text format: src/metrics.ts), wherever they are served: Bolt's
 * custom routes in Slack's HTTP mode, serveOperations on PORT in the other modes. Another path is
 * 404, another method 405.
 */
export function operationsHandler(deps: OperationsDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const path = req.url?.split("?")[0];
    if (path !== "/healthz" && path !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    try {
      if (path === "/healthz") {
        const report = await checkHealth(deps);
        res.writeHead(report.status, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify(report.body));
        return;
      }
      const text = await deps.metrics.exposition();
      res.writeHead(200, { "content-type": deps.metrics.contentType, "cache-control": "no-store" });
      res.end(text);
    } catch {
      if (res.headersSent) return void res.end();
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false }));
    }
  };
}

/** Another route on the standalone server (the status page): true when it answered. */
export interface ExtraRoute {
  route(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close?(): void;
}

/**
 * `GET /healthz` and `GET /metrics` on a server of their own (`port` 0: any free port), for the
 * modes with no HTTP server to mount them on: Discord alone, Slack in Socket Mode. `routes` are
 * tried in turn for any other path (the status page); 404 when none answers.
 */
export async function serveOperations(
  deps: OperationsDeps,
  port: number,
  routes: readonly ExtraRoute[] = [],
): Promise<{ port: number; close(): Promise<void> }> {
  const handle = operationsHandler(deps);
  const server: Server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if (OPERATIONS_PATHS.some((p) => p === path)) return void handle(req, res);
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
