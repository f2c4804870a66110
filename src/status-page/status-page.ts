import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Policy } from "../config/policy.ts";
import { texts, type Texts } from "../i18n/index.ts";
import { type FeedEntry, isPublicStep, statusAtom, statusJson } from "./feeds.ts";
import { CONTENT_SECURITY_POLICY, STATUS_PATHS, statusHtml } from "./html.ts";
import { fingerprint, pickLang, type StatusSnapshot, type StatusSource, statusSnapshot } from "./snapshot.ts";

export interface StatusPageDeps {
  source: StatusSource;
  clock: Clock;
  policy: Pick<Policy, "statusPage" | "language" | "timezone">;
  /** How often, while someone watches, the page's data is read again for changes (any replica's). */
  pollMs?: number;
  /** Live streams held at once (MAX_STREAMS unless told). */
  maxStreams?: number;
  log?: Logger;
}

/** A node:http route: true when it answered the request. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface StatusPage {
  /** Every path it answers (GET): where a host mounts it (Bolt's custom routes). */
  paths: readonly string[];
  route: HttpRoute;
  /** Ends the live streams (a server waits for its open connections before it closes). */
  close(): void;
}

const DEFAULT_POLL_MS = 2000;
/** Live streams held at once by one process; beyond, 503 (the page then reloads now and then). */
export const MAX_STREAMS = 1000;
/** A comment on the stream now and then, so proxies do not close a quiet connection. */
const KEEPALIVE_MS = 25_000;

/**
 * The public status page (issue 17): GET /status (HTML, French or English by Accept-Language),
 * /status.json, /status.atom, and /status/events (server-sent events: the page's fingerprint each
 * time what it shows changes). Off unless the policy enables it: 404 on every path then.
 *
 * Live refresh reads the database again every `pollMs` while at least one browser listens, and
 * compares fingerprints: an update made on any replica, or a timed "no change", reaches every page.
 */
export function createStatusPage(deps: StatusPageDeps): StatusPage {
  const config = deps.policy.statusPage;
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  const streams = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let last: string | undefined;
  let sinceKeepalive = 0;

  const snapshot = () => statusSnapshot(deps.source, deps.clock, config.showOwner);
  const textsFor = (req: IncomingMessage): Texts =>
    texts(pickLang(header(req, "accept-language"), deps.policy.language), deps.policy.timezone);
  const titleIn = (x: Texts) => config.title ?? x.t("status.title");

  const send = (res: ServerResponse, type: string, body: string) => {
    res.writeHead(200, {
      "content-type": type,
      "cache-control": "no-cache",
      vary: "Accept-Language",
      "x-content-type-options": "nosniff",
      ...(type.startsWith("text/html") ? { "content-security-policy": CONTENT_SECURITY_POLICY } : {}),
    });
    res.end(body);
  };

  const poll = async () => {
    const now = fingerprint(await snapshot());
    sinceKeepalive += pollMs;
    const changed = now !== last;
    last = now;
    for (const res of streams) {
      if (changed) res.write(`data: ${now}\n\n`);
      else if (sinceKeepalive >= KEEPALIVE_MS) res.write(": keepalive\n\n");
    }
    if (sinceKeepalive >= KEEPALIVE_MS) sinceKeepalive = 0;
  };
  const watch = () => {
    if (timer) return;
    timer = setInterval(() => {
      poll().catch((err: unknown) => deps.log?.warn({ err }, "status page: could not read the outages"));
    }, pollMs);
    timer.unref();
  };
  const unwatch = () => {
    if (streams.size > 0 || !timer) return;
    clearInterval(timer);
    timer = undefined;
  };

  const events = async (res: ServerResponse) => {
    if (streams.size >= (deps.maxStreams ?? MAX_STREAMS)) {
      res.writeHead(503, { "retry-after": "60" }).end();
      return;
    }
    const current = fingerprint(await snapshot());
    // Gone while the outages were read: nothing to hold.
    if (res.destroyed) return;
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // The version now: a page rendered before a change sees it differ at once.
    res.write(`retry: 3000\ndata: ${current}\n\n`);
    if (streams.size === 0) last = current;
    streams.add(res);
    res.on("close", () => {
      streams.delete(res);
      unwatch();
    });
    watch();
  };

  const answer = async (path: string, req: IncomingMessage, res: ServerResponse) => {
    if (path === STATUS_PATHS.events) return events(res);
    const x = textsFor(req);
    const s: StatusSnapshot = await snapshot();
    const title = titleIn(x);
    if (path === STATUS_PATHS.page)
      return send(res, "text/html; charset=utf-8", statusHtml(x, s, { title, version: fingerprint(s) }));
    if (path === STATUS_PATHS.json) return send(res, "application/json; charset=utf-8", statusJson(x, s, title));
    const entries: FeedEntry[] = [];
    for (const outage of [...s.ongoing, ...s.resolved]) {
      for (const event of await deps.source.timeline(outage.id))
        if (isPublicStep(event)) entries.push({ outage, event });
    }
    send(res, "application/atom+xml; charset=utf-8", statusAtom(x, s, entries, { title, base: baseUrl(req) }));
  };

  const paths = Object.values(STATUS_PATHS);
  return {
    paths,
    async route(req, res) {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (!(paths as string[]).includes(path)) return false;
      if (!config.enabled || (req.method !== "GET" && req.method !== "HEAD")) {
        res.writeHead(404).end();
        return true;
      }
      try {
        await answer(path, req, res);
      } catch (err) {
        deps.log?.error({ err, path }, "status page failed");
        if (!res.headersSent) res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
        res.end();
      }
      return true;
    },
    close() {
      for (const res of streams) res.end();
      streams.clear();
      unwatch();
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The address the feed links to, as the client reached it (behind a proxy, its forwarded scheme). */
function baseUrl(req: IncomingMessage): string {
  const proto = header(req, "x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  // A Host header that is not a host name (or address) and port is not echoed into the feed.
  const given = header(req, "host") ?? "";
  const host = /^(?:[\w.-]+|\[[\d:a-fA-F.]+\])(?::\d{1,5})?$/.test(given) ? given : "localhost";
  return `${proto}://${host}`;
}
