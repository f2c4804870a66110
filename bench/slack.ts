import { App } from "@slack/bolt";
import type { Server } from "node:http";
import { commands } from "../commands/index.ts";
import { createSlackSurface } from "../src/surfaces/slack/slack-app.ts";
import { SlackSender } from "../src/surfaces/slack/slack-sender.ts";
import { fork, spawn } from "node:child_process";
import { createInterface } from "node:readline";
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
  const surface = createSlackSurface(bench.relais, commands, {
    botToken: "xoxb-bench",
    signingSecret: SECRET,
    apiUrl: slack.url,
    port: 0,
    botUserId: "UBOT",
  });
  const relaisPort = (await surface.start()).port!;
  // Cards and their threads go through the outbox: sent as in production (poked after each command).
  const dispatcher = bench.relais.dispatcher({ slack: new SlackSender("xoxb-bench", slack.url) });
  dispatcher.start(500);
  const bare = new App({
    token: "xoxb-bench",
    signingSecret: SECRET,
    botUserId: "UBOT",
    botId: "BBOT",
    clientOptions: { slackApiUrl: slack.url },
  });
  bare.command("/ticket", async ({ ack }) => {
    await ack();
  });
  const bareServer = (await bare.start(0)) as Server;
  const barePort = (bareServer.address() as { port: number }).port;

  // The requests come from another process, as they would from Slack.
  const client = fork(new URL("./load-client.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
  let n = 0;
  const burst = (port: number, concurrency: number): Promise<{ samples: number[]; ms: number }> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      client.once("message", (m: { samples: number[]; failed: number }) =>
        m.failed
          ? reject(new Error(`${m.failed} requests were not acked with 200`))
          : resolve({ samples: m.samples, ms: performance.now() - t0 }),
      );
      client.send({
        url: `http://127.0.0.1:${port}/slack/events`,
        secret: SECRET,
        concurrency,
        first: n,
        responseUrl: slack.responseUrl(""),
      });
      n += concurrency;
    });
  const settle = async (expected: number) => {
    // The work after the ack (ticket, card, thread) finishes before the next burst starts.
    const deadline = Date.now() + 120_000;
    while (
      (await bench.relais.store.tickets.count({ statuses: ["new"] })) < expected ||
      ((await slack.counts())["chat.postMessage"] ?? 0) < expected * 2
    ) {
      if (Date.now() > deadline) throw new Error("the work after the acks did not finish in 2 minutes");
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  // Warm both apps (JIT, connections, prepared statements) before measuring.
  let created = 0;
  for (let i = 0; i < 3; i++) {
    await burst(barePort, 50);
    await burst(relaisPort, 50);
    created += 50;
    await settle(created);
  }
  const rows: { label: string; s: Summary }[] = [];
  const results: Record<string, Summary> = {};
  // Bursts of 50 are repeated 5 times, alternating the two apps; the samples are pooled.
  for (const [c, rounds] of [
    [50, 5],
    [500, 1],
  ] as const) {
    const bare: number[] = [];
    const relais: number[] = [];
    let bareWall = 0;
    let relaisWall = 0;
    let relaisMs = 0;
    for (let round = 0; round < rounds; round++) {
      const b = await burst(barePort, c);
      bare.push(...b.samples);
      bareWall += b.ms;
      const t0 = performance.now();
      const r = await burst(relaisPort, c);
      relais.push(...r.samples);
      relaisWall += r.ms;
      created += c;
      await settle(created);
      relaisMs = Math.max(relaisMs, performance.now() - t0);
    }
    // Honest about what the ack hides: when the work behind it (tickets, cards, threads) was done.
    console.log(
      `Relais, ${c} concurrent: every ticket created and its card + acknowledgement posted within ${relaisMs.toFixed(0)} ms of the burst`,
    );
    results[`bare ${c}`] = summarize(bare, bareWall);
    results[`relais ${c}`] = summarize(relais, relaisWall);
    rows.push(
      { label: `bare Bolt, ${c} concurrent ×${rounds}`, s: results[`bare ${c}`]! },
      { label: `Relais, ${c} concurrent ×${rounds}`, s: results[`relais ${c}`]! },
    );
  }
  printTable(rows);
  const checks = [
    ratioCheck("Slack ack p99 Relais/bare at 50 concurrent", results["relais 50"]!.p99, results["bare 50"]!.p99, 1.5),
    ratioCheck("Slack ack p50 Relais/bare at 50 concurrent", results["relais 50"]!.p50, results["bare 50"]!.p50, 1.5),
  ];
  const slowest = results["relais 500"]!.max;
  const under3s = slowest < 3000;
  console.log(
    `Relais slowest ack at 500 concurrent: ${slowest.toFixed(1)} ms (target: every ack under 3000 ms)${under3s ? "" : "  ABOVE TARGET"}`,
  );
  checks.push({ label: "Slack slowest ack at 500 concurrent / 3000 ms", ratio: slowest / 3000, max: 1, ok: under3s });
  client.kill();
  await surface.stop();
  await dispatcher.stop();
  await bare.stop();
  await slack.stop();
  await bench.close();
  return { checks };
}

/** The fake Slack in a child process, so its work does not share our event loop (Slack is remote). */
async function remoteFakeSlack() {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./fake-slack-process.ts", import.meta.url).pathname],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const [url] = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value.split("\n");
  return {
    url: url as string,
    responseUrl: (id: string) => `${url}response/${id}`,
    counts: async () =>
      (await (await fetch(`${(url as string).replace(/api\/$/, "")}__counts`)).json()) as Record<string, number>,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
