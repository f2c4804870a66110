import { createStatusPage } from "../../src/status-page/status-page.ts";
import { serveHealth } from "../../src/health.ts";
import type { TestRelais } from "../helpers.ts";
import { rawPolicy, variant } from "../support/fixtures.ts";

/** The shipped policy with the status page set as given (enabled unless told). */
export function withStatusPage(statusPage: Record<string, unknown> = { enabled: true }) {
  return variant({ statusPage: { ...(rawPolicy().statusPage as object), ...statusPage } });
}

/**
 * The status page of `r` on a server of its own (as Relais serves it beside /healthz in Socket Mode
 * or Discord-only), at the test relais's clock. Returns its base URL and how to stop it.
 */
export async function serveStatus(r: TestRelais, opts: { pollMs?: number; maxStreams?: number } = {}) {
  const page = createStatusPage({
    source: r.relais.store.outages,
    clock: r.clock,
    policy: r.relais.services.policy,
    pollMs: opts.pollMs ?? 50,
    ...(opts.maxStreams ? { maxStreams: opts.maxStreams } : {}),
  });
  const server = await serveHealth({ store: r.relais.store, scheduler: r.relais.scheduler, clock: r.clock }, 0, [page]);
  const base = `http://127.0.0.1:${server.port}`;
  return {
    base,
    get: async (path: string, lang = "fr-FR,fr;q=0.9") => {
      const res = await fetch(`${base}${path}`, { headers: { "accept-language": lang } });
      return {
        status: res.status,
        type: res.headers.get("content-type"),
        text: await res.text(),
        headers: res.headers,
      };
    },
    close: () => server.close(),
  };
}
