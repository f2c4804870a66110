import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { toBlocks } from "../../src/surfaces/slack/blocks.ts";
import type { Reply } from "../../src/reply.ts";
import { tempDir } from "../helpers.ts";
import { MAIL_OUTAGE, viewSubmission } from "../surfaces/slack/harness.ts";
import type { Cleanup } from "../support/cleanups.ts";
import { FakeSlack, sendInteraction, sendToBot, slashCommand } from "../support/fake-slack.ts";
import { rawPolicy } from "../support/fixtures.ts";
import { startRelais } from "../support/relais-process.ts";

/** Shared by the restart and replica drills: real Relais processes, a fast policy, a fake Slack. */
export const SECRET = "drill-secret";

export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a drill may change in its policy: P1's first response, the priority of a one-line ticket. */
export interface DrillTweaks {
  firstResponse?: string;
  defaultPriority?: string;
}

/** A policy file where P1 updates fall due every 2 seconds. */
export function drillPolicy(dir: string, tweaks: DrillTweaks = {}): string {
  const policy = rawPolicy() as {
    sla: { P1: object };
    outages: { reminderBefore: { P1: string } };
    defaultPriority?: string;
  };
  policy.sla.P1 = {
    ...policy.sla.P1,
    updateEvery: "2s",
    warnBefore: "1s",
    ...(tweaks.firstResponse ? { firstResponse: tweaks.firstResponse } : {}),
  };
  if (tweaks.defaultPriority) policy.defaultPriority = tweaks.defaultPriority;
  policy.outages.reminderBefore.P1 = "1s";
  const path = join(dir, "policy.yaml");
  writeFileSync(path, stringify(policy));
  return path;
}

export interface Drill {
  slack: FakeSlack;
  /** A temp folder for the database and the policy file. */
  dir: string;
  /** The environment of a Relais replica on port `port` and database `databaseUrl`: Slack through the fake, the drill policy, a 100 ms tick. */
  env(port: number, databaseUrl: string): Record<string, string>;
}

/** A fake Slack and a temp folder with the drill policy, both removed by `cleanups` after the test. */
export async function startDrill(cleanups: Cleanup[], botToken: string, tweaks: DrillTweaks = {}): Promise<Drill> {
  const slack = await new FakeSlack().start();
  cleanups.push(() => slack.stop());
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const policy = drillPolicy(dir, tweaks);
  return {
    slack,
    dir,
    env: (port, databaseUrl) => ({
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      RELAIS_POLICY: policy,
      RELAIS_TICK_MS: "100",
      RELAIS_ENV_FILE: "/dev/null", // a developer's own .env never leaks in
    }),
  };
}

/** Relais as a real process (node, not npm, so SIGKILL hits it and nothing else). */
export async function relaisProcess(env: Record<string, string>, cleanups: Cleanup[]): Promise<ChildProcess> {
  // What `npm start` runs: the compiled build (kept fresh by test/support/build-once.ts).
  const relais = startRelais({ env: { ...process.env, ...env }, cleanups });
  await relais.waitFor("ready on port", 90_000, "stderr");
  return relais.child;
}

/** Sends `signal` and resolves with the exit code (null when the signal killed it). */
export async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill(signal);
  return exited;
}

/** Declares a P1 outage on channels C-A and C-B through Slack (command, modal, submission). */
export async function declareOutage(slack: FakeSlack, port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/slack/events`;
  const form = slashCommand(slack, "/outage", "declare", {
    user_id: "U-OWNER",
    user_name: "ana",
    channel_id: "C-ROOM",
    channel_name: "incident",
  });
  const opened = slack.of("views.open").length;
  if ((await sendToBot(url, form, { secret: SECRET })).status !== 200) throw new Error("command refused");
  await until(() => slack.of("views.open").length > opened, "the declaration form");
  const view = slack.of("views.open").at(-1)!.body.view as { private_metadata: string; callback_id: string };
  // Submitted by the person it was opened for (the form's metadata is signed for them).
  const owner = { id: "U-OWNER", username: "ana", name: "ana", team_id: "T1" };
  const submitted = await sendInteraction(
    url,
    viewSubmission(view, { ...MAIL_OUTAGE, channels: "conversations:C-A,C-B" }, "V-SUBMIT-1", owner),
    SECRET,
  );
  if (submitted.status !== 200) throw new Error("submission refused");
}

/** The posts a channel received, as Slack blocks JSON, in order. */
export function received(slack: FakeSlack, channel: string): string[] {
  return slack
    .of("chat.postMessage")
    .filter((c) => c.body.channel === channel)
    .map((c) => JSON.stringify(c.body.blocks));
}

/** What the outbox recorded as sent to a channel, rendered the way Slack received it. */
export function rendered(payloads: string[]): string[] {
  return payloads.map((p) => JSON.stringify(toBlocks(JSON.parse(p) as Reply).blocks));
}
