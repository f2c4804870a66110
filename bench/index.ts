import { formatBytes, type Check } from "./report.ts";
import { postgresBench } from "./postgres.ts";
import { schedulerBench } from "./scheduler.ts";
import { slackBench } from "./slack.ts";
import { ticketsBench } from "./tickets.ts";

/**
 * `npm run bench`: every section in order, then a summary. Add a section by writing
 * `bench/<name>.ts` exporting an async function that returns its checks, and listing it here.
 * The exit code is 0 even when a target is missed; misses are printed as ABOVE TARGET.
 */
const sections: ReadonlyArray<{ name: string; run: () => Promise<{ checks: Check[] }> }> = [
  { name: "tickets", run: ticketsBench },
  { name: "slack", run: slackBench },
  { name: "scheduler", run: schedulerBench },
  { name: "postgres", run: postgresBench },
];

const started = performance.now();
const rssAtStart = process.memoryUsage().rss;
const missed: Check[] = [];
for (const s of sections) {
  const { checks } = await s.run();
  missed.push(...checks.filter((c) => !c.ok));
}

console.log(`\n== summary ${"=".repeat(64)}`);
if (missed.length === 0) console.log("all ratios within target");
else for (const c of missed) console.log(`ABOVE TARGET: ${c.label} = ${c.ratio.toFixed(2)}x (target < ${c.max}x)`);
const mem = process.memoryUsage();
console.log(
  `process RSS at end: ${formatBytes(mem.rss)} (at start: ${formatBytes(rssAtStart)}; heap used ${formatBytes(mem.heapUsed)}, not collected)`,
);
console.log(`total bench time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
