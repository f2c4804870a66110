import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serveOperations } from "../../../src/operations.ts";
import { chatInput } from "../../support/discord-gateway.ts";
import { sampleValue, scrape } from "../../support/prometheus.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

let h: DiscordHarness;
let url: string;
let close: () => Promise<void>;
beforeEach(async () => {
  h = await startDiscordHarness();
  // What src/main.ts serves on PORT when Discord runs alone (or Slack in Socket Mode).
  const { store, scheduler, metrics } = h.r.relais;
  const server = await serveOperations({ store, scheduler, metrics, clock: h.r.clock }, 0);
  url = `http://127.0.0.1:${server.port}`;
  close = server.close;
});
afterEach(async () => {
  await close();
  await h.close();
});

const ticket = (s: Awaited<ReturnType<typeof scrape>>, sub: string, outcome: string) =>
  sampleValue(s, "relais_commands_total", { surface: "discord", command: "ticket", sub, outcome }) ?? 0;

describe("Discord alone: GET /healthz and GET /metrics on PORT", () => {
  it("GIVEN the server main.ts starts THEN both answer; anything else is 404, another method 405", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(503); // no scheduler pass yet
    await h.r.relais.scheduler.tick();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: { writable: true } });
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain("# TYPE relais_commands_total counter");
    expect((await fetch(`${url}/slack/events`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: "POST" })).status).toBe(405);
  });

  it("GIVEN /ticket new, a show of a bad reference and one of no such ticket THEN done and refused move with Discord's labels", async () => {
    await h.deliver(chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    await h.deliver(chatInput("ticket", "show", { ref: "abc" })); // refused while reading the options
    await h.deliver(chatInput("ticket", "show", { ref: "T-99" })); // refused by the command
    // Each refusal was said to the person, politely, in their language.
    expect(h.edits().at(-1)).toContain("T-99 n’existe pas");
    const s = await scrape(`${url}/metrics`);
    expect(ticket(s, "new", "done")).toBe(1);
    expect(ticket(s, "show", "refused")).toBe(2);
    expect(sampleValue(s, "relais_ack_seconds_count", { surface: "discord" })).toBe(3);
    // The card and its reply in the card's thread went out: the reply waiting for its thread is no failure.
    await h.dispatcher.flush();
    expect(h.channelPosts(CHANNEL)).toHaveLength(1);
    const sent = await scrape(`${url}/metrics`);
    expect(sent.filter((x) => x.name === "relais_outbox_failures_total")).toEqual([]);
    expect(sampleValue(sent, "relais_outbox_pending", { platform: "discord" })).toBe(0);
  });

  it("GIVEN a post Discord refuses (404 Unknown Channel) THEN the failure is counted and the post shows as failed", async () => {
    h.discord.fail(new RegExp(`^POST /channels/${CHANNEL}/messages$`), {
      status: 404,
      body: { message: "Unknown Channel", code: 10003 },
    });
    const before = await scrape(`${url}/metrics`);
    expect(sampleValue(before, "relais_outbox_failed", { platform: "discord" })).toBe(0);
    await h.deliver(chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    await h.dispatcher.flush();
    const s = await scrape(`${url}/metrics`);
    expect(sampleValue(s, "relais_outbox_failures_total", { platform: "discord", kind: "refused" })).toBe(1);
    expect(sampleValue(s, "relais_outbox_failed", { platform: "discord" })).toBeGreaterThanOrEqual(1);
  });
});
