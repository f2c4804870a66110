import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeSlack, sendToBot, slashCommand } from "../support/fake-slack.ts";
import { freePort, tempDir } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { sampleValue, scrape } from "../support/prometheus.ts";
import { startRelais } from "../support/relais-process.ts";

const cleanups = cleanupsAfterEach();

describe("npm start with the Slack variables set", () => {
  it("GIVEN a signed /ticket <title> THEN the ticket is created and posted with its T-n; a bad signature gets 401; SIGTERM stops it", async () => {
    const slack = await new FakeSlack().start();
    cleanups.push(() => slack.stop());
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const port = await freePort();
    const secret = "e2e-secret";
    const relais = startRelais({
      cmd: ["npm", "start", "--silent"],
      env: {
        ...process.env,
        RELAIS_ENV_FILE: "/dev/null",
        DATABASE_URL: `file:${join(dir, "relais.db")}`,
        SLACK_BOT_TOKEN: "xoxb-e2e-secret-token",
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: slack.url,
        PORT: String(port),
        LOG_LEVEL: "debug",
      },
      group: true,
      cleanups,
    });
    await relais.waitFor("ready on port", 40_000, "stderr");
    const url = `http://127.0.0.1:${port}/slack/events`;
    const form = slashCommand(slack, "/ticket", "Messagerie inaccessible", { user_id: "U1", channel_id: "C1" });
    const ok = await sendToBot(url, form, { secret });
    expect(ok.status).toBe(200);
    await slack.waitFor(
      (c) => c.filter((x) => x.method === "chat.postMessage").length >= 2,
      "card and acknowledgement",
      20_000,
    );
    expect(JSON.stringify(slack.of("chat.postMessage")[1]!.body)).toContain("T-1 ouvert");
    const bad = await sendToBot(url, { ...form, text: "Autre ticket" }, { secret: "wrong" });
    expect(bad.status).toBe(401);
    expect(slack.of("chat.postMessage")).toHaveLength(2);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // /metrics on the same port: the one command done, the badly signed one never reached the pipeline.
    const metrics = await scrape(`http://127.0.0.1:${port}/metrics`);
    expect(sampleValue(metrics, "relais_commands_total", { surface: "slack", sub: "new", outcome: "done" })).toBe(1);
    expect(sampleValue(metrics, "relais_ack_seconds_count", { surface: "slack" })).toBe(1);
    // Logs are JSON lines; each request carries an id.
    const lines = relais
      .stderr()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg?: string; requestId?: string });
    expect(lines.some((l) => l.msg === "slack request" && typeof l.requestId === "string")).toBe(true);
    // Tokens and secrets never appear in the logs, even at debug level.
    expect(relais.stderr()).not.toContain("xoxb-e2e-secret-token");
    expect(relais.stderr()).not.toContain(secret);
    // SIGTERM stops it (npm itself reports the signal, so the code is 0 or null): it must not hang.
    expect([0, null]).toContain(await relais.stop());
  });
});
