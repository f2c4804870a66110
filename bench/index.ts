import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import buildIfStale from "../test/support/build-once.ts";
import { discordBench } from "./discord.ts";
import { formatBytes, type Check } from "./report.ts";
import { postgresBench } from "./postgres.ts";
import { processBench } from "./process.ts";
import { schedulerBench } from "./scheduler.ts";
import { slackBench } from "./slack.ts";
import { soakBench } from "./soak.ts";
import { throughputBench } from "./throughput.ts";
import { ticketsBench } from "./tickets.ts";

/**
 * `npm run bench`: every section in order, each in a process of its own, then a summary. Add a
 * section by writing `bench/<name>.ts` exporting an async function that returns its checks, and
 * listing it here.
 * A missed target is printed as ABOVE TARGET and makes the exit code 1, unless `--no-fail` (for
 * exploring). `--only slack,tickets` runs those sections alone; `--soak-minutes 30` makes the soak
 * last that long (3 minutes unless told).
 */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? "") : undefined;
};
const soakMinutes = Number(flag("--soak-minutes") ?? 3);
if (!(soakMinutes > 0)) {
  console.error(`--soak-minutes: a number of minutes above 0, not ${flag("--soak-minutes")}`);
  process.exit(2);
}

const sections: ReadonlyArray<{ name: string; run: () => Promise<{ checks: Check[] }> }> = [
  { name: "tickets", run: ticketsBench },
  { name: "slack", run: slackBench },
  { name: "discord", run: discordBench },
  { name: "scheduler", run: schedulerBench },
  { name: "postgres", run: postgresBench },
  { name: "process", run: processBench },
  { name: "throughput", run: throughputBench },
  { name: "soak", run: () => soakBench(soakMinutes) },
];

const noFail = args.includes("--no-fail");
const onlyList = flag("--only");
const only = onlyList !== undefined ? new Set(onlyList.split(",")) : undefined;
const unknown = only ? [...only].filter((n) => !sections.some((s) => s.name === n)) : [];
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(", ")}; sections: ${sections.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

// Each section runs in a process of its own, as a Relais process starts alone: one section's heap,
// timers and sockets are not the next one's (after the tickets section, a collection come due in
// the Slack bursts read as Relais's: 1.68–1.74× after it, 1.36–1.48× alone; after the Slack section,
// Discord's rounds read 1.77–2.01× where alone they read 0.75–1.89×, median 1.18×).
const section = flag("--section");
if (section !== undefined) {
  const { checks } = await sections.find((s) => s.name === section)!.run();
  await new Promise((sent) => process.send!({ checks, rss: process.memoryUsage().rss }, sent));
  // Anything still open (a fake server, a pool) must not keep the section alive.
  process.exit(0);
}

// The process and soak sections run the bundle `npm start` runs: rebuilt first when a source is
// newer, as the tests do, so an edit is measured and not yesterday's code.
buildIfStale();
const started = performance.now();
const missed: Check[] = [];
const rss: string[] = [];
for (const s of sections.filter((x) => !only || only.has(x.name))) {
  const child = fork(fileURLToPath(import.meta.url), ["--section", s.name, "--soak-minutes", String(soakMinutes)], {
    execArgv: process.execArgv,
  });
  const result = await new Promise<{ checks: Check[]; rss: number }>((resolve, reject) => {
    let got: { checks: Check[]; rss: number } | undefined;
    child.once("message", (m: { checks: Check[]; rss: number }) => {
      got = m;
    });
    child.once("exit", (code) =>
      got ? resolve(got) : reject(new Error(`bench section ${s.name} ended (exit code ${code}) without its checks`)),
    );
  });
  missed.push(...result.checks.filter((c) => !c.ok));
  rss.push(`${s.name} ${formatBytes(result.rss)}`);
}

console.log(`\n== summary ${"=".repeat(64)}`);
if (missed.length === 0) console.log("all ratios within target");
else for (const c of missed) console.log(`ABOVE TARGET: ${c.label} = ${c.ratio.toFixed(2)}x (target < ${c.max}x)`);
console.log(`RSS of each section's process at its end: ${rss.join(", ")}`);
console.log(`total bench time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(missed.length > 0 && !noFail ? 1 : 0);
