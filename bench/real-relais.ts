import { DateTime } from "luxon";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeDiscordApi } from "../test/support/discord-api.ts";
import { FakeSlack } from "../test/support/fake-slack.ts";
import { freePort } from "../test/support/free-port.ts";
import { FakeDiscordGateway } from "../test/support/fake-sockets.ts";
import { npmStartArgs } from "../test/support/npm-start.ts";
import { type RelaisProcess, startRelais } from "../test/support/relais-process.ts";
import { seedOpenTickets } from "./seed.ts";

/**
 * A real Relais process as the process and soak sections measure it: `node dist/app/main.js` (what
 * `npm start` runs) with Slack (HTTP mode) and Discord both configured against fake servers in the
 * bench's process, on a SQLite database of its own.
 */

export const SECRET = "bench-secret";
const APP_ID = "400000000000000001";

export interface Platforms {
  slack: FakeSlack;
  discord: FakeDiscordApi;
  gateway: FakeDiscordGateway;
  /** The database file the processes open. */
  dbPath: string;
  /** The variables that configure Slack, Discord and the database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function fakePlatforms(): Promise<Platforms> {
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscordApi().start();
  const gateway = await new FakeDiscordGateway(APP_ID).start();
  discord.gateway = gateway.url;
  const dir = mkdtempSync(join(tmpdir(), "relais-bench-process-"));
  const dbPath = join(dir, "relais.db");
  return {
    slack,
    discord,
    gateway,
    dbPath,
    env: {
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      DISCORD_TOKEN: "bench-discord-token",
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.api,
      DATABASE_URL: `file:${dbPath}`,
    },
    async close() {
      await Promise.all([slack.stop(), discord.stop(), gateway.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates the database with a first start (Relais makes its schema), then adds `open` open tickets in SQL. */
export async function seededDatabase(p: Platforms, open: number): Promise<void> {
  await (await startConfigured(p.env)).relais.stop();
  // As of now, by a Slack agent: the queue of a helpdesk that was running (bench/seed.ts).
  await seedOpenTickets({ dbPath: p.dbPath }, open, { at: DateTime.now(), agent: "slack:U-SEED" });
}

/** Spawns what `npm start` runs and resolves once both platforms said ready, with the time it took and its port. */
export async function startConfigured(
  env: Record<string, string>,
): Promise<{ relais: RelaisProcess; ms: number; port: number }> {
  const port = await freePort();
  const began = performance.now();
  const relais = startRelais({
    cmd: [process.execPath, ...npmStartArgs()],
    env: {
      PATH: process.env.PATH,
      RELAIS_ENV_FILE: "/dev/null",
      LOG_LEVEL: "info",
      PORT: String(port),
      // Node flags for the measured process only (`--heapsnapshot-signal=SIGUSR2`: heap snapshots
      // of a soak taken with `kill -USR2`, written to the repository's folder).
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
  });
  await relais.waitFor(["Slack (HTTP) ready", "Discord ready"], 60_000, "stderr");
  return { relais, ms: performance.now() - began, port };
}

/** A signed-request form for `/ticket <text>` from Slack, the `i`th of a run; answered on the fake's response URL. */
export function slashForm(slack: FakeSlack, text: string, i: number, user = "U1"): Record<string, string> {
  return {
    command: "/ticket",
    text,
    user_id: user,
    user_name: "bench",
    channel_id: "C1",
    channel_name: "support",
    team_id: "T1",
    response_url: slack.responseUrl(`r${i}`),
    trigger_id: `t${i}`,
  };
}

/** Where a process's memory is, as its own /metrics tells it (prom-client's process figures), in bytes. */
export async function memoryOf(port: number): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))].reduce((a, m) => a + Number(m[1]), 0);
  return {
    heapUsed: sum("nodejs_heap_size_used_bytes"),
    heapTotal: sum("nodejs_heap_size_total_bytes"),
    external: sum("nodejs_external_memory_bytes"),
  };
}

export async function waitFor(ok: () => boolean, timeoutMs: number): Promise<void> {
  const began = Date.now();
  while (!ok()) {
    if (Date.now() - began > timeoutMs) throw new Error("bench: timed out");
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
