import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { FakeSlack, sendToBot } from "../support/fake-slack.ts";
import { viewSubmission } from "../slack/harness.ts";
import { freePort, POLICY_PATH, tempDir } from "../helpers.ts";
import { toBlocks } from "../../src/surfaces/slack/blocks.ts";
import type { Reply } from "../../src/kit/reply.ts";

const root = new URL("../../", import.meta.url).pathname;
const SECRET = "restart-secret";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


async function until(cond: () => boolean, what: string, ms = 90_000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Relais as a real process (node, not npm, so SIGKILL hits it and nothing else). */
async function relaisProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  await until(() => stderr.includes("ready on port") || child.exitCode !== null, "Relais to start");
  if (child.exitCode !== null) throw new Error(stderr);
  return child;
}

describe("a restart in the middle of an outage", () => {
  it("GIVEN Relais killed with SIGKILL between two updates THEN every affected channel receives every update exactly once, in order", { timeout: 240_000 }, async () => {
    const slack = await new FakeSlack().start();
    cleanups.push(() => slack.stop());
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // A drill policy: P1 updates every 2 seconds.
    const policy = parse(readFileSync(POLICY_PATH, "utf8"));
    policy.sla.P1 = { ...policy.sla.P1, updateEvery: "2s", warnBefore: "1s" };
    policy.outages.reminderBefore.P1 = "1s";
    const policyPath = join(dir, "policy.yaml");
    writeFileSync(policyPath, stringify(policy));
    const dbPath = join(dir, "relais.db");
    const port = await freePort();
    const env = { DATABASE_URL: `file:${dbPath}`, SLACK_BOT_TOKEN: "xoxb-restart", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, PORT: String(port), RELAIS_POLICY: policyPath, RELAIS_TICK_MS: "100" };
    const url = `http://127.0.0.1:${port}/slack/events`;
    const posts = (channel: string) => slack.of("chat.postMessage").filter((c) => c.body.channel === channel);

    const first = await relaisProcess(env);
    const form = { command: "/outage", text: "declare", user_id: "U-OWNER", user_name: "ana", channel_id: "C-ROOM", channel_name: "incident", team_id: "T1", response_url: slack.responseUrl(), trigger_id: "t1" };
    expect((await sendToBot(url, form, { secret: SECRET })).status).toBe(200);
    await until(() => slack.of("views.open").length === 1, "the declaration form");
    const view = slack.of("views.open")[0]!.body.view as { private_metadata: string; callback_id: string };
    const submitted = await sendToBot(url, { payload: JSON.stringify(viewSubmission(view, { title: "Messagerie indisponible", services: "Exchange", impactText: "tout le siège", impact: "select:high", urgency: "select:high", workaround: "select:none", channels: "C-A, C-B" })) }, { secret: SECRET });
    expect(submitted.status).toBe(200);

    // Announcement and one timed update on each channel, then the crash.
    await until(() => posts("C-A").length >= 2 && posts("C-B").length >= 2, "two posts per channel");
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atCrash = posts("C-A").length;
    await new Promise((r) => setTimeout(r, 3000)); // downtime: at least one update falls due meanwhile

    const second = await relaisProcess(env);
    await until(() => posts("C-A").length >= atCrash + 3 && posts("C-B").length >= atCrash + 3, "updates after the restart");
    second.kill("SIGTERM"); // graceful: finishes in-flight posts
    await new Promise((r) => second.once("exit", r));

    const db = new Database(dbPath, { readonly: true });
    const events = db.prepare(`SELECT kind FROM OutageEvent ORDER BY id`).all() as { kind: string }[];
    const timed = events.filter((e) => e.kind === "declared" || e.kind === "no_change").length;
    for (const channel of ["C-A", "C-B"]) {
      const sent = db.prepare(`SELECT key, payload FROM OutboxMessage WHERE channel = ? AND status = 'sent' ORDER BY id`).all(channel) as { key: string; payload: string }[];
      const received = posts(channel).map((p) => JSON.stringify(p.body.blocks));
      // Exactly once: as many posts as recorded messages; in order: the same sequence.
      expect(received.length).toBe(sent.length);
      expect(received).toEqual(sent.map((s) => JSON.stringify(toBlocks(JSON.parse(s.payload) as Reply).blocks)));
      expect(new Set(sent.map((s) => s.key)).size).toBe(sent.length);
      expect(received[0]).toContain("INC-1 — Messagerie indisponible");
      for (const p of received.slice(1)) expect(p).toContain("Pas de changement depuis");
      // Every promised update reached the channel (none lost across the crash).
      const unsent = db.prepare(`SELECT count(*) AS n FROM OutboxMessage WHERE channel = ? AND status != 'sent'`).get(channel) as { n: number };
      expect(sent.length + unsent.n).toBe(timed);
    }
    db.close();
  });
});
