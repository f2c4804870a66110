import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/helpers.ts";
import { FakeDiscordApi } from "../test/support/discord-api.ts";
import { FakeSlack, sendToBot } from "../test/support/fake-slack.ts";
import { FakeDiscordGateway } from "../test/support/fake-sockets.ts";
import { npmStartArgs } from "../test/support/npm-start.ts";
import { budgetCheck, type Check, formatBytes, section } from "./report.ts";
import { seedOpenTickets } from "./seed.ts";

/**
 * What a real Relais process costs (issue 16), measured on `node dist/app/main.js` — what `npm
 * start` runs — never on the bench's own process: time from spawn to listening on an existing
 * database, and its resident memory (VmRSS) at idle with Slack and Discord both configured, then
 * after a burst of 500 concurrent `/ticket <title>` and a `/ticket list all`. Beside it, the floor:
 * a process holding only a bare Bolt app and a logged-in discord.js client.
 */

const root = new URL("../", import.meta.url).pathname;
const SECRET = "bench-secret";
const APP_ID = "400000000000000001";
const STARTS = 5;
const BURST = 500;
/** The open tickets in the database the measured process opens (the target's "10,000 open"). */
const OPEN = 10_000;

export async function processBench(): Promise<{ checks: Check[] }> {
  section("A real process: start to listening, resident memory (Slack and Discord configured)");
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscordApi().start();
  const gateway = await new FakeDiscordGateway(APP_ID).start();
  discord.gateway = gateway.url;
  const dir = mkdtempSync(join(tmpdir(), "relais-bench-process-"));
  const env = {
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    DISCORD_TOKEN: "bench-discord-token",
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: discord.api,
    DATABASE_URL: `file:${join(dir, "relais.db")}`,
  };
  try {
    // The first start creates the database; the measured ones open it as it is.
    await stop((await startRelais(env)).child);
    await seedOpenTickets({ dbPath: join(dir, "relais.db") }, OPEN);
    const starts: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const r = await startRelais(env);
      starts.push(r.ms);
      await stop(r.child);
    }
    const run = await startRelais(env);
    // Settled: the timers' resync over the open tickets done, the scheduler's first passes.
    await waitFor(() => run.stderr().includes("timers resynchronised"), 120_000);
    await sleep(4000);
    const idle = rss(run.child.pid!);
    const idleHeap = await heapOf(run.port);
    const url = `http://127.0.0.1:${run.port}/slack/events`;
    const acks = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        sendToBot(url, slashForm(`Imprimante bloquée ${i}`, i), { secret: SECRET }),
      ),
    );
    await sendToBot(url, slashForm("list all", BURST), { secret: SECRET });
    await waitFor(() => slack.of("chat.postMessage").length >= BURST, 120_000);
    await sleep(4000);
    const afterBurst = rss(run.child.pid!);
    const burstHeap = await heapOf(run.port);
    await stop(run.child);
    const floor = await bareSdks(slack.url, discord.api);

    const median = [...starts].sort((a, b) => a - b)[Math.floor(starts.length / 2)]!;
    console.log(
      `start to listening (existing database), ${STARTS} starts: ${starts.map((s) => s.toFixed(0)).join(", ")} ms`,
    );
    console.log(`acks of the burst: ${acks.filter((a) => a.status === 200).length}/${BURST} answered 200`);
    console.log(`bare Bolt app + discord.js client, one process (the floor): ${formatBytes(floor)}`);
    console.log(
      `Relais idle, ${OPEN} open tickets: ${formatBytes(idle)} (${(idle / floor).toFixed(2)}x the floor; ${idleHeap})`,
    );
    console.log(`Relais after ${BURST} /ticket and /ticket list all: ${formatBytes(afterBurst)} (${burstHeap})`);
    return {
      checks: [
        budgetCheck("start to listening, median", median, 1000, "ms"),
        budgetCheck("RSS at idle, Slack and Discord configured", idle / 2 ** 20, 150, "MiB"),
        budgetCheck(`RSS after ${BURST} /ticket and /ticket list all`, afterBurst / 2 ** 20, 200, "MiB"),
      ],
    };
  } finally {
    await Promise.all([slack.stop(), discord.stop(), gateway.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

function slashForm(text: string, i: number): Record<string, string> {
  return {
    command: "/ticket",
    text,
    user_id: "U1",
    user_name: "bench",
    channel_id: "C1",
    channel_name: "support",
    team_id: "T1",
    response_url: `http://127.0.0.1:9/hooks/${i}`,
    trigger_id: `t${i}`,
  };
}

/** Spawns what `npm start` runs and resolves once both platforms said ready, with the time it took. */
async function startRelais(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ms: number; port: number; stderr: () => string }> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn("node", npmStartArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH, RELAIS_ENV_FILE: "/dev/null", LOG_LEVEL: "info", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`Relais exited: ${stderr}`);
    return stderr.includes("Slack (HTTP) ready") && stderr.includes("Discord ready");
  }, 60_000);
  return { child, ms: performance.now() - began, port, stderr: () => stderr };
}

/** Where a process's memory is, as its own /metrics tells it (prom-client's process figures). */
async function heapOf(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))].reduce((a, m) => a + Number(m[1]), 0);
  return [
    `JS heap used ${formatBytes(sum("nodejs_heap_size_used_bytes"))}`,
    `of ${formatBytes(sum("nodejs_heap_size_total_bytes"))}`,
    `external ${formatBytes(sum("nodejs_external_memory_bytes"))}`,
  ].join(" ");
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** A process's resident set, as the kernel counts it. */
function rss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) * 1024;
}

/** The SDKs alone in one process: a Bolt app that only acks, a discord.js client logged in. */
async function bareSdks(slackApi: string, discordApi: string): Promise<number> {
  const script = `
    const { App } = await import("@slack/bolt");
    const { Client, GatewayIntentBits } = await import("discord.js");
    const app = new App({ token: "xoxb-bench", signingSecret: "s", botUserId: "UBOT", botId: "BBOT",
      clientOptions: { slackApiUrl: ${JSON.stringify(`${slackApi}/`)} } });
    app.command("/ticket", async ({ ack }) => ack());
    await app.start(0);
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: ${JSON.stringify(discordApi)} } });
    await client.login("bench-discord-token");
    await new Promise((r) => setTimeout(r, 2000));
    process.stdout.write("ready\\n");
    await new Promise((r) => setTimeout(r, 60000));`;
  const child = spawn("node", ["--input-type=module", "-e", script], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes("ready"), 60_000);
  const bytes = rss(child.pid!);
  child.kill("SIGKILL");
  return bytes;
}

async function waitFor(ok: () => boolean, timeoutMs: number): Promise<void> {
  const began = Date.now();
  while (!ok()) {
    if (Date.now() - began > timeoutMs) throw new Error("bench: timed out");
    await sleep(20);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
