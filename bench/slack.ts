import { App } from "@slack/bolt";
import type { Server } from "node:http";
import { commands } from "../commands/index.ts";
import { createSlackSurface } from "../src/surfaces/slack/slack-app.ts";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { sendToBot } from "../test/support/fake-slack.ts";
import { openBenchApp } from "./app.ts";
import { printTable, ratioCheck, section, type Check } from "./report.ts";
import { summarize, type Summary } from "./stats.ts";

const SECRET = "bench-secret";

/**
 * Time to ack for bursts of concurrent signed `/ticket <title>` requests: Relais's Bolt app beside a
 * bare Bolt app that only acks, measured in the same run on the same machine.
 */
export async function slackBench(): Promise<{ checks: Check[] }> {
  section("Slack: concurrent signed /ticket <title>, time to ack (HTTP on 127.0.0.1)");
  const slack = await remoteFakeSlack();
  const bench = await openBenchApp();
  const surface = createSlackSurface(bench.relais, commands, { botToken: "xoxb-bench", signingSecret: SECRET, apiUrl: slack.url, port: 0, botUserId: "UBOT" });
  const relaisPort = (await surface.start()).port!;
  const bare = new App({ token: "xoxb-bench", signingSecret: SECRET, botUserId: "UBOT", botId: "BBOT", clientOptions: { slackApiUrl: slack.url } });
  bare.command("/ticket", async ({ ack }) => {
    await ack();
  });
  const bareServer = (await bare.start(0)) as Server;
  const barePort = (bareServer.address() as { port: number }).port;

  let n = 0;
  const burst = async (port: number, concurrency: number): Promise<Summary> => {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: concurrency }, () => {
        const i = ++n;
        const form = { command: "/ticket", text: `Imprimante bloquée ${i}`, user_id: "U1", user_name: "bench", channel_id: "C1", channel_name: "support", team_id: "T1", response_url: slack.responseUrl(String(i)), trigger_id: `t${i}` };
        return sendToBot(url, form, { secret: SECRET });
      }),
    );
    const bad = results.filter((r) => r.status !== 200);
    if (bad.length) throw new Error(`${bad.length} requests were not acked with 200`);
    return summarize(results.map((r) => r.ms), performance.now() - started);
  };
  const settle = async (expected: number) => {
    // The work after the ack (ticket, card, thread) finishes before the next burst starts.
    const deadline = Date.now() + 120_000;
    while ((await bench.relais.store.tickets.count({ statuses: ["new"] })) < expected || ((await slack.counts())["chat.postMessage"] ?? 0) < expected * 2) {
      if (Date.now() > deadline) throw new Error("the work after the acks did not finish in 2 minutes");
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  await burst(barePort, 20);
  await burst(relaisPort, 20); // warm-up
  await settle(20);
  let created = 20;
  const rows: { label: string; s: Summary }[] = [];
  const results: Record<string, Summary> = {};
  for (const c of [50, 500]) {
    results[`bare ${c}`] = await burst(barePort, c);
    const t0 = performance.now();
    results[`relais ${c}`] = await burst(relaisPort, c);
    created += c;
    await settle(created);
    // Honest about what the ack hides: when the work behind it (tickets, cards, threads) was done.
    console.log(`Relais, ${c} concurrent: every ticket created and its card + acknowledgement posted ${(performance.now() - t0).toFixed(0)} ms after the burst began`);
    rows.push({ label: `bare Bolt, ${c} concurrent`, s: results[`bare ${c}`]! }, { label: `Relais, ${c} concurrent`, s: results[`relais ${c}`]! });
  }
  printTable(rows);
  const checks = [
    ratioCheck("Slack ack p99 Relais/bare at 50 concurrent", results["relais 50"]!.p99, results["bare 50"]!.p99, 1.5),
    ratioCheck("Slack ack p50 Relais/bare at 50 concurrent", results["relais 50"]!.p50, results["bare 50"]!.p50, 1.5),
  ];
  const slowest = results["relais 500"]!.max;
  const under3s = slowest < 3000;
  console.log(`Relais slowest ack at 500 concurrent: ${slowest.toFixed(1)} ms (target: every ack under 3000 ms)${under3s ? "" : "  ABOVE TARGET"}`);
  checks.push({ label: "Slack slowest ack at 500 concurrent / 3000 ms", ratio: slowest / 3000, max: 1, ok: under3s });
  await surface.stop();
  await bare.stop();
  await slack.stop();
  await bench.close();
  return { checks };
}

/** The fake Slack in a child process, so its work does not share our event loop (Slack is remote). */
async function remoteFakeSlack() {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./fake-slack-process.ts", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
  const [url] = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value.split("\n");
  return {
    url: url as string,
    responseUrl: (id: string) => `${url}response/${id}`,
    counts: async () => (await (await fetch(`${(url as string).replace(/api\/$/, "")}__counts`)).json()) as Record<string, number>,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
