import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, tempDir } from "../helpers.ts";
import { cleanEnv } from "../support/clean-env.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { FakeDiscordApi } from "../support/discord-api.ts";
import { chatInput } from "../support/discord-gateway.ts";
import { FakeSlack, slashCommand } from "../support/fake-slack.ts";
import { FakeDiscordGateway, FakeSlackSocket } from "../support/fake-sockets.ts";
import { type Sample, sampleValue, scrape } from "../support/prometheus.ts";
import { type RelaisProcess, startRelais } from "../support/relais-process.ts";

const cleanups = cleanupsAfterEach();

/** `node dist/app/main.js` (what npm start runs) with `env`, until it says where health and metrics are. */
async function start(env: Record<string, string>): Promise<{ relais: RelaisProcess; base: string }> {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const port = await freePort();
  const relais = startRelais({
    env: cleanEnv({
      DATABASE_URL: `file:${join(dir, "relais.db")}`,
      PORT: String(port),
      RELAIS_TICK_MS: "100",
      LOG_LEVEL: "warn",
      ...env,
    }),
    group: true,
    cleanups,
  });
  await relais.waitFor(`health and metrics on port ${port}`, 40_000, "stderr");
  return { relais, base: `http://127.0.0.1:${port}` };
}

/** Scrapes until `ok` holds (what the process does runs in the background), bounded. */
async function scrapeUntil(url: string, ok: (s: Sample[]) => boolean, what: string): Promise<Sample[]> {
  const began = Date.now();
  for (;;) {
    const s = await scrape(url);
    if (ok(s)) return s;
    if (Date.now() - began > 15_000) throw new Error(`/metrics never showed ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("npm start: GET /healthz and GET /metrics on PORT in every mode", () => {
  it("GIVEN Discord alone (logged in to a fake gateway) THEN both answer on PORT; a command and a refused post move the metrics", async () => {
    const discord = await new FakeDiscordApi().start();
    const gateway = await new FakeDiscordGateway("400000000000000001").start();
    cleanups.push(
      () => discord.stop(),
      () => gateway.stop(),
    );
    discord.gateway = gateway.url;
    const r = await start({
      DISCORD_TOKEN: "e2e-discord-token",
      DISCORD_APPLICATION_ID: "400000000000000001",
      DISCORD_API_URL: discord.api,
    });
    expect(r.relais.stderr()).toContain("Relais: Discord ready\n");
    expect(gateway.identified.map((i) => i.token)).toEqual(["e2e-discord-token"]);
    // The scheduler passes on its interval: healthy.
    const began = Date.now();
    while ((await fetch(`${r.base}/healthz`)).status !== 200) {
      if (Date.now() - began > 10_000) throw new Error("never healthy");
      await new Promise((res) => setTimeout(res, 100));
    }
    // The scheduler's first pass, on the wall clock.
    const first = await scrapeUntil(
      `${r.base}/metrics`,
      (x) => (sampleValue(x, "relais_scheduler_last_pass_timestamp_seconds") ?? 0) > 0,
      "a scheduler pass",
    );
    expect(sampleValue(first, "relais_outbox_pending", { platform: "discord" })).toBe(0);
    expect(sampleValue(first, "relais_scheduler_last_pass_timestamp_seconds")).toBeGreaterThan(Date.now() / 1000 - 60);
    // A /ticket new through the gateway, whose card Discord refuses (the channel is gone).
    discord.failWhile(/^POST \/channels\/200000000000000001\/messages$/, () => ({
      status: 404,
      body: { message: "Unknown Channel", code: 10003 },
    }));
    gateway.dispatch("INTERACTION_CREATE", chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    const labels = { surface: "discord", command: "ticket", sub: "new", outcome: "done" };
    const s = await scrapeUntil(
      `${r.base}/metrics`,
      (x) => (sampleValue(x, "relais_outbox_failures_total", { platform: "discord", kind: "refused" }) ?? 0) > 0,
      "the refused post",
    );
    expect(sampleValue(s, "relais_commands_total", labels)).toBe(1);
    expect(sampleValue(s, "relais_ack_seconds_count", { surface: "discord" })).toBe(1);
    expect(sampleValue(s, "relais_outbox_failed", { platform: "discord" })).toBeGreaterThanOrEqual(1);
    expect([0, null]).toContain(await r.relais.stop());
  });

  it("GIVEN Slack in Socket Mode (connected to a fake socket) THEN both answer on PORT; a slash command over the socket moves the metrics", async () => {
    const slack = await new FakeSlack().start();
    const socket = await new FakeSlackSocket().start();
    cleanups.push(
      () => slack.stop(),
      () => socket.stop(),
    );
    slack.socketUrl = socket.url;
    const r = await start({
      SLACK_BOT_TOKEN: "xoxb-e2e-token",
      SLACK_APP_TOKEN: "xapp-e2e-token",
      SLACK_API_URL: slack.url,
    });
    expect(r.relais.stderr()).toContain("Relais: Slack (Socket Mode) ready\n");
    expect(slack.of("apps.connections.open").map((c) => c.token)).toEqual(["xapp-e2e-token"]);
    expect(socket.connections).toBe(1);
    expect((await fetch(`${r.base}/healthz`)).headers.get("content-type")).toBe("application/json");
    const id = socket.send("slash_commands", slashCommand(slack, "/ticket", "Messagerie inaccessible"));
    const s = await scrapeUntil(
      `${r.base}/metrics`,
      (x) => (sampleValue(x, "relais_commands_total", { surface: "slack", sub: "new", outcome: "done" }) ?? 0) > 0,
      "the command",
    );
    expect(socket.acks.has(id)).toBe(true);
    expect(sampleValue(s, "relais_ack_seconds_count", { surface: "slack" })).toBe(1);
    await slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card and reply");
    expect(JSON.stringify(slack.of("chat.postMessage")[1]!.body)).toContain("T-1 ouvert");
    expect([0, null]).toContain(await r.relais.stop());
  });
});
