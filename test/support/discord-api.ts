import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One REST request as the fake Discord received it (path without the /api/v10 prefix). */
export interface DiscordCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
  raw: string;
}

interface Failure {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * A fake Discord REST API on 127.0.0.1, as discord.js's REST client calls it: records every
 * request and answers like Discord (interaction callbacks, messages, threads, webhooks, command
 * registration); failures can be queued per "METHOD /path" pattern.
 */
export class FakeDiscordApi {
  readonly calls: DiscordCall[] = [];
  private server: Server | undefined;
  private failures: { match: RegExp; failure: Failure }[] = [];
  private conditions: { match: RegExp; when: () => Failure | undefined }[] = [];
  private next = 900_000_000_000_000_000n;
  api = "";
  /** What GET /gateway/bot gives (a FakeDiscordGateway's URL), for a client that logs in. */
  gateway = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void read(req).then((raw) => {
        const path = decodeURIComponent((req.url ?? "").replace(/^\/api\/v\d+/, "").split("?")[0]!);
        let body: Record<string, unknown> = {};
        if ((req.headers["content-type"] ?? "").includes("json") && raw)
          body = JSON.parse(raw) as Record<string, unknown>;
        else if (raw.includes("payload_json")) {
          const m = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
          if (m) body = JSON.parse(m[1]!) as Record<string, unknown>;
        }
        const call = { method: req.method ?? "GET", path, body, raw };
        this.calls.push(call);
        const i = this.failures.findIndex((f) => f.match.test(`${call.method} ${path}`));
        const failure =
          i >= 0
            ? this.failures.splice(i, 1)[0]!.failure
            : this.conditions.find((c) => c.match.test(`${call.method} ${path}`))?.when();
        if (failure) {
          res.writeHead(failure.status, { "content-type": "application/json", ...failure.headers });
          res.end(JSON.stringify(failure.body));
          return;
        }
        const [status, answer] = this.answer(call);
        // An empty 204 carries no content type (discord.js would try to parse it as JSON).
        res.writeHead(status, answer === undefined ? {} : { "content-type": "application/json" });
        res.end(answer === undefined ? "" : JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.api = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
    return this;
  }

  /** Queues a failure for the next request matching e.g. /^POST \/channels\/C1\/messages$/. */
  fail(match: RegExp, failure: Failure): void {
    this.failures.push({ match, failure });
  }

  /** Fails every request matching `match` while `when` gives a failure (a storm). */
  failWhile(match: RegExp, when: () => Failure | undefined): void {
    this.conditions.push({ match, when });
  }

  of(method: string, path: RegExp): DiscordCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  async waitFor(predicate: (calls: DiscordCall[]) => boolean, what = "condition", timeoutMs = 10_000): Promise<void> {
    const start = Date.now();
    while (!predicate(this.calls)) {
      if (Date.now() - start > timeoutMs)
        throw new Error(
          `fake Discord: timed out waiting for ${what}; calls: ${this.calls.map((c) => `${c.method} ${c.path}`).join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  snowflake(): string {
    return String(this.next++);
  }

  private answer(c: DiscordCall): [number, unknown] {
    const m = (re: RegExp) => re.exec(c.path);
    if (c.method === "POST" && m(/^\/interactions\/\d+\/[^/]+\/callback$/)) return [204, undefined];
    // A login: the token's bot (the start's check), then where the gateway is.
    if (c.method === "GET" && c.path === "/users/@me")
      return [200, { id: "400000000000000001", username: "relais", discriminator: "0", avatar: null, bot: true }];
    if (c.method === "GET" && c.path === "/gateway/bot" && this.gateway)
      return [
        200,
        {
          url: this.gateway,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      ];
    if (c.method === "POST" && c.path === "/users/@me/channels")
      return [
        200,
        {
          id: dmChannelOf(String(c.body.recipient_id)),
          type: 1,
          recipients: [
            { id: c.body.recipient_id, username: "user", discriminator: "0", avatar: null, global_name: null },
          ],
        },
      ];
    let x = m(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/);
    if (c.method === "POST" && x)
      return [
        201,
        {
          id: x[2],
          type: 11,
          parent_id: x[1],
          guild_id: "1",
          name: c.body.name,
          thread_metadata: {
            archived: false,
            auto_archive_duration: 10080,
            archive_timestamp: new Date().toISOString(),
            locked: false,
          },
        },
      ];
    x = m(/^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (c.method === "PATCH" && x) return [200, this.message(x[1]!, c.body, x[2])];
    x = m(/^\/channels\/(\d+)\/messages$/);
    if (c.method === "POST" && x) return [200, this.message(x[1]!, c.body)];
    x = m(/^\/channels\/(\d+)$/);
    if (c.method === "GET" && x)
      return [200, { id: x[1], type: 0, guild_id: "1", name: `chan-${x[1]}`, position: 0, permission_overwrites: [] }];
    x = m(/^\/webhooks\/(\d+)\/[^/]+(?:\/messages\/(@original|\d+))?$/);
    if (x && c.method !== "DELETE")
      return [200, this.message("1", c.body, x[2] === "@original" ? this.snowflake() : x[2])];
    if (x) return [204, undefined];
    if (c.method === "PUT" && m(/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/))
      return [200, (c.body as unknown as unknown[]).map((cmd) => ({ ...(cmd as object), id: this.snowflake() }))];
    return [404, { message: "Unknown", code: 0 }];
  }

  private message(channelId: string, body: Record<string, unknown>, id?: string) {
    return botMessage(id ?? this.snowflake(), channelId, body);
  }
}

/**
 * The DM channel the fake opens for a user: "7" and the user id's other digits, so it never meets
 * the fake's own snowflakes (messages, threads: 9…) nor the gateway's (8…).
 */
export function dmChannelOf(userId: string): string {
  return `7${userId.slice(1)}`;
}

/** A message the bot posted, as Discord returns it (also what a button's interaction carries). */
export function botMessage(id: string, channelId: string, body: Record<string, unknown> = {}) {
  return {
    id,
    channel_id: channelId,
    type: 0,
    content: body.content ?? "",
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    author: {
      id: "100000000000000001",
      username: "Relais",
      discriminator: "0",
      bot: true,
      avatar: null,
      global_name: null,
    },
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: body.flags ?? 0,
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}
