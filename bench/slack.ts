import { App } from "@slack/bolt";
import type { Server } from "node:http";
import { commands } from "../commands/index.ts";
import { createSlackSurface } from "../src/surfaces/slack/slack-app.ts";
import { SlackSender } from "../src/surfaces/slack/slack-sender.ts";
import { fork, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { openBenchApp } from "./app.ts";
import { ackRounds } from "./ack-rounds.ts";
import { type Check, section } from "./report.ts";

const SECRET = "bench-secret";

/**
 * Time to ack signed `/ticket <title>` requests sent from another process (bench/ack-rounds.ts):
 * Relais's Bolt app beside a bare Bolt app that only acks, measured in the same run on the same
 * machine (issue 16). The bench's app checkpoints the log as `npm start` does (bench/app.ts).
 */
export async function slackBench(): Promise<{ checks: Check[] }> {
  section("Slack: signed /ticket <title> from another process, time to ack (HTTP on 127.0.0.1)");
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
  /** `bursts` bursts of `concurrency` requests, one every `everyMs` (not waiting for the acks). */
  const load = (
    port: number,
    concurrency: number,
    bursts = 1,
    everyMs = 0,
  ): Promise<{ samples: number[]; ms: number }> =>
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
        bursts,
        everyMs,
      });
      n += concurrency * bursts;
    });
  const tickets = () => bench.relais.store.tickets.count({ statuses: ["new"] });
  const checks = await ackRounds({
    platform: "Slack",
    bare: "bare Bolt",
    ack: "ack",
    load: (app, ...rest) => load(app === "bare" ? barePort : relaisPort, ...rest),
    created: tickets,
    // The ticket, its card and the acknowledgement in its thread.
    finished: async (expected) =>
      (await tickets()) >= expected && ((await slack.counts())["chat.postMessage"] ?? 0) >= expected * 2,
  });
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
