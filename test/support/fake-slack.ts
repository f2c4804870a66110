import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call (or response_url post) as the fake Slack received it. */
export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  /** The body as received (file uploads are not form-encoded). */
  raw: string;
  token?: string;
  /** When the fake received it (ms since the epoch): how far apart posts arrived. */
  at: number;
}

interface Failure {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * A fake Slack Web API on 127.0.0.1 that records every call (form or JSON bodies, JSON fields
 * decoded) and answers like Slack; failures can be queued per method (platform errors, 429, 5xx).
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private failures = new Map<string, Failure[]>();
  private conditions: { method: string; when: (call: SlackCall) => Failure | undefined }[] = [];
  private ts = 1_700_000_000;
  /** Display names `users.info` answers with (an unknown user gets no display name). */
  readonly people = new Map<string, string>();
  /** Locales `users.info` answers with when asked (`include_locale`): "en-US", "fr-FR". */
  readonly locales = new Map<string, string>();
  /** The edits this fake answered ok (chat.update), in order. */
  readonly updated: { channel: string; ts: string; text?: string }[] = [];
  /** Messages as stored by this fake Slack (what conversations.history returns). */
  readonly posted: { channel: string; ts: string; thread_ts?: string; metadata?: unknown; text?: string }[] = [];
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/__counts") {
        // For a fake running in another process (bench): how many calls of each method it saw.
        const counts: Record<string, number> = {};
        for (const c of this.calls) counts[c.method] = (counts[c.method] ?? 0) + 1;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(counts));
        return;
      }
      void readBody(req).then((raw) => {
        const method = (req.url ?? "")
          .replace(/^\/api\//, "")
          .replace(/^\//, "")
          .split("?")[0]!;
        const body = decode(raw, req.headers["content-type"] ?? "");
        const auth = req.headers.authorization;
        this.calls.push({
          method,
          body,
          raw,
          at: Date.now(),
          ...(auth ? { token: auth.replace(/^Bearer /, "") } : {}),
        });
        const queued = this.failures.get(method);
        const call = this.calls.at(-1)!;
        const failure =
          queued?.shift() ?? this.conditions.map((c) => (c.method === method ? c.when(call) : undefined)).find(Boolean);
        if (failure) {
          res.writeHead(failure.status, { "content-type": "application/json", ...failure.headers });
          res.end(JSON.stringify(failure.body));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(this.answer(method, body)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  /** The response_url Slack would put in a payload, served by this fake. */
  responseUrl(id = "r1"): string {
    return `${this.url}response/${id}`;
  }

  fail(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /** Refuses the bot token from now on: every auth.test answers `error` (a revoked or mistyped token). */
  refuseToken(error = "invalid_auth"): void {
    this.failWhen("auth.test", () => ({ status: 200, body: { ok: false, error } }));
  }

  /** Fails the calls of `method` for which `when` gives a failure (a storm in a time window, a channel the bot is not in). */
  failWhen(method: string, when: (call: SlackCall) => Failure | undefined): void {
    this.conditions.push({ method, when });
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits (polling, bounded) until `predicate` holds on the recorded calls. */
  async waitFor(predicate: (calls: SlackCall[]) => boolean, what = "condition", timeoutMs = 10_000): Promise<void> {
    const start = Date.now();
    while (!predicate(this.calls)) {
      if (Date.now() - start > timeoutMs)
        throw new Error(
          `fake Slack: timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };
      case "users.info": {
        const id = String(body.user);
        const name = this.people.get(id);
        const locale = body.include_locale ? this.locales.get(id) : undefined;
        if (!name && !locale) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id,
            ...(name ? { name, profile: { display_name: name } } : { profile: {} }),
            ...(locale ? { locale } : {}),
          },
        };
      }
      case "chat.postMessage": {
        const ts = `${this.ts++}.000100`;
        this.posted.push({
          channel: String(body.channel),
          ts,
          ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
          metadata: body.metadata,
          ...(typeof body.text === "string" ? { text: body.text } : {}),
        });
        return { ok: true, channel: body.channel, ts, message: {} };
      }
      case "conversations.history":
      case "conversations.replies": {
        // What this fake holds in that channel (or thread), newest first, with metadata.
        const messages = this.posted
          .filter(
            (p) =>
              p.channel === body.channel &&
              (method === "conversations.history" ? !p.thread_ts : p.thread_ts === body.ts),
          )
          .map((p) => ({ ts: p.ts, metadata: p.metadata }))
          .reverse();
        return { ok: true, messages };
      }
      case "chat.update":
        this.updated.push({
          channel: String(body.channel),
          ts: String(body.ts),
          ...(typeof body.text === "string" ? { text: body.text } : {}),
        });
        return { ok: true, channel: body.channel, ts: body.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: `${this.ts++}.000200` };
      case "views.open":
        return { ok: true, view: { id: `V${this.ts++}` } };
      case "conversations.create":
        return { ok: true, channel: { id: `C-INC-${this.ts++}`, name: body.name } };
      case "files.getUploadURLExternal":
        return { ok: true, upload_url: `${this.url}upload/F${this.ts}`, file_id: `F${this.ts++}` };
      case "files.completeUploadExternal":
        return { ok: true, files: [{ id: "F1", title: "report" }] };
      default:
        return { ok: true };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function decode(raw: string, type: string): Record<string, unknown> {
  if (raw === "") return {};
  try {
    if (type.includes("json")) return JSON.parse(raw) as Record<string, unknown>;
    if (!type.includes("x-www-form-urlencoded")) return {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
    return out;
  } catch {
    return {};
  }
}

/** Signs a request body as Slack does (v0 HMAC-SHA256 of "v0:timestamp:body"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/**
 * A slash command's form as Slack posts it: Alice in #support (C-HELP), answering to the fake's
 * response URL, unless `fields` says otherwise.
 */
export function slashCommand(
  slack: FakeSlack,
  command: string,
  text: string,
  fields: Record<string, string> = {},
): Record<string, string> {
  return {
    token: "legacy",
    team_id: "T1",
    team_domain: "acme",
    channel_id: "C-HELP",
    channel_name: "support",
    user_id: "U-ALICE",
    user_name: "alice",
    command,
    text,
    api_app_id: "A1",
    response_url: slack.responseUrl(),
    trigger_id: "trigger-1",
    ...fields,
  };
}

/** Sends an interactivity payload (block_actions, view_submission, view_closed) as Slack posts it. */
export function sendInteraction(url: string, payload: Record<string, unknown>, secret: string) {
  return sendToBot(url, { payload: JSON.stringify(payload) }, { secret });
}

/** Sends a request to the bot exactly as Slack does: form-encoded, signed, with a timestamp. */
export async function sendToBot(
  url: string,
  form: Record<string, string>,
  opts: { secret: string; timestamp?: number; signature?: string | null; headers?: Record<string, string> },
): Promise<{ status: number; text: string; json: () => unknown; ms: number }> {
  const body = new URLSearchParams(form).toString();
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    ...opts.headers,
  };
  if (opts.signature !== null)
    headers["x-slack-signature"] = opts.signature ?? slackSignature(opts.secret, timestamp, body);
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text), ms: performance.now() - started };
}
