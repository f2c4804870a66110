import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import { Agent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pooledFetch } from "../../../src/surfaces/slack/pooled-fetch.ts";

/** What the server received, in order. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[];
let answer: (req: IncomingMessage, res: ServerResponse) => void;
let agent: CountingAgent;

/** An agent that counts the requests dispatched through it: the calls that skipped Node's fetch. */
class CountingAgent extends Agent {
  dispatched = 0;
  override dispatch(...args: Parameters<Agent["dispatch"]>): boolean {
    this.dispatched++;
    return super.dispatch(...args);
  }
}

beforeEach(async () => {
  seen = [];
  answer = (_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, ts: "1700000000.000100" }));
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  agent = new CountingAgent({ keepAliveTimeout: 1000 });
});

afterEach(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("the Slack clients' fetch (undici's request API under WebClient)", () => {
  it("GIVEN a Web API call THEN the server gets the client's POST, form body and headers, and the client reads the answer", async () => {
    const client = new WebClient("xoxb-test", {
      slackApiUrl: base,
      fetch: pooledFetch(agent),
      retryConfig: { retries: 0 },
    });
    const res = await client.chat.postMessage({ channel: "C1", text: "Imprimante bloquée" });
    expect(res.ts).toBe("1700000000.000100");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/chat.postMessage" });
    expect(seen[0]!.headers.authorization).toBe("Bearer xoxb-test");
    expect(seen[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(seen[0]!.body).get("text")).toBe("Imprimante bloquée");
    await client.chat.postMessage({ channel: "C1", text: "encore" });
    expect(agent.dispatched).toBe(2); // through undici's request API, not Node's fetch
  });

  it("GIVEN a 429 with Retry-After THEN the client sees the rate limit and its wait", async () => {
    answer = (_req, res) => {
      res.writeHead(429, { "retry-after": "7", "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
    };
    const client = new WebClient("xoxb-test", {
      slackApiUrl: base,
      fetch: pooledFetch(agent),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 7,
    });
  });

  it("GIVEN a 5xx THEN the client's HTTP error carries the status, the headers (repeated ones too) and the body", async () => {
    answer = (_req, res) => {
      res.writeHead(503, [
        ["x-slack-req-id", "a"],
        ["x-trace", "1"],
        ["x-trace", "2"],
      ]);
      res.end("down for maintenance");
    };
    const client = new WebClient("xoxb-test", {
      slackApiUrl: base,
      fetch: pooledFetch(agent),
      retryConfig: { retries: 0 },
    });
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      code: "slack_webapi_http_error",
      statusCode: 503,
      headers: { "x-slack-req-id": "a", "x-trace": "1, 2" },
      body: "down for maintenance",
    });
  });

  it("GIVEN a server that does not answer THEN the client's timeout ends the call as a request error", async () => {
    // Not answered; the connection dropped after 3 s, so a call the timeout did not end fails otherwise.
    answer = (req) => void setTimeout(() => req.socket.destroy(), 3000).unref();
    const client = new WebClient("xoxb-test", {
      slackApiUrl: base,
      fetch: pooledFetch(agent),
      retryConfig: { retries: 0 },
      timeout: 100,
    });
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      code: "slack_webapi_request_error",
      original: { name: "TimeoutError" },
    });
  });

  it("GIVEN a body that is not a string (a file's FormData) THEN it goes out as multipart through the global fetch", async () => {
    const form = new FormData();
    form.append("file", new Blob(["rapport hebdomadaire"]), "rapport.txt");
    const res = await pooledFetch(agent)(`${base}upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(seen[0]!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toContain("rapport hebdomadaire");
    expect(agent.dispatched).toBe(0);
  });

  it("GIVEN a 204 THEN the answer has no body, and its status and url are the request's", async () => {
    answer = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const res = await pooledFetch(agent)(`${base}ping`, { method: "POST", body: "a=1" });
    expect(res.status).toBe(204);
    expect(res.url).toBe(`${base}ping`);
    expect(await res.text()).toBe("");
  });
});
