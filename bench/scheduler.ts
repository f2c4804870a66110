import type { ManualClock } from "../src/clock.ts";
import { OutboxDispatcher } from "../src/outbox/dispatcher.ts";
import { Scheduler } from "../src/scheduler/scheduler.ts";
import { SlackSender } from "../src/surfaces/slack/slack-sender.ts";
import { FakeSlack } from "../test/support/fake-slack.ts";
import { openBenchApp, type BenchApp } from "./app.ts";
import { printTable, ratioCheck, section, type Check } from "./report.ts";
import { seedOpenTickets } from "./seed.ts";
import { measurePair, measurePairRounds, medianRound, summarize, type Summary } from "./stats.ts";

const SIZES = [100, 100_000] as const;
/** Rounds of idle passes on each table (see the idle passes below). */
const IDLE_ROUNDS = 5;

/**
 * The scheduler's cost to find due work with 100 vs 100,000 open tickets and outages (each holds
 * pending jobs: SLA warnings, updates due, reminders; the tickets written in bulk SQL as the
 * service writes them, bench/seed.ts; at most 100 outages, declared through the service), and the time to fan one outage update out
 * to 50 channels through the outbox and the Slack sender (HTTP to a fake Slack on 127.0.0.1).
 */
export async function schedulerBench(): Promise<{ checks: Check[] }> {
  section("Scheduler: finding due work with 100 vs 100,000 open tickets and outages");
  const rows: { label: string; s: Summary }[] = [];
  const idle = new Map<number, Summary>();
  const due = new Map<number, Summary>();
  let idleMedian: readonly [Summary, Summary] | undefined;
  // Both sizes open side by side, measured in turn: the machine's noise falls on both alike.
  const apps: BenchApp[] = [];
  try {
    for (const size of SIZES) apps.push(await seededApp(size));
    // Nothing is due at 10:00: an idle pass is what replicas do every second.
    const schedulers = apps.map((app) => new Scheduler(app.store.jobs, app.clock).on("bench", async () => {}));
    const idlePass = (s: Scheduler) => async () => {
      if ((await s.tick()) !== 0) throw new Error("nothing should be due");
    };
    // A thousand passes of each to compile the pass's code first (the section runs in a fresh
    // process: after 100, its p99 read 0.9 vs 3.2 ms, the slow 1% falling on either table by chance),
    // then five rounds; the p99 ratio checked is the rounds' median, as creation's (bench/tickets.ts).
    const idleRounds = await measurePairRounds([idlePass(schedulers[0]!), idlePass(schedulers[1]!)], {
      iterations: 1000,
      warmup: 1000,
      rounds: IDLE_ROUNDS,
    });
    const i = idleRounds.pooled;
    const { ratios, median } = medianRound(idleRounds.rounds);
    idleMedian = median;
    console.log(
      `idle pass p99 100k/100 in each round of 1000: ${ratios.map((r) => `${r.toFixed(2)}x`).join(" ")} (the median is checked)`,
    );
    // 10 jobs due per pass, found among the others.
    const d = await measurePair(
      [dueThenTick(apps[0]!, schedulers[0]!, 10), dueThenTick(apps[1]!, schedulers[1]!, 10)],
      {
        iterations: 100,
        warmup: 10,
      },
    );
    for (const [x, size] of SIZES.entries()) {
      idle.set(size, i[x]!);
      due.set(size, d[x]!);
    }
    for (const size of SIZES) rows.push({ label: `idle pass, ${k(size)} open`, s: idle.get(size)! });
    for (const size of SIZES) rows.push({ label: `10 due (+ scheduling), ${k(size)} open`, s: due.get(size)! });
  } finally {
    for (const app of apps) await app.close();
  }
  printTable(rows);
  const [small, big] = SIZES;
  const checks = [
    ratioCheck("scheduler idle pass p50 100k/100", idle.get(big)!.p50, idle.get(small)!.p50, 1.5),
    ratioCheck("scheduler idle pass p99 100k/100 (median round)", idleMedian![1].p99, idleMedian![0].p99, 1.5),
    ratioCheck("scheduler 10-due pass p50 100k/100", due.get(big)!.p50, due.get(small)!.p50, 1.5),
  ];

  section("Outbox: one outage update fanned out to 50 channels (Slack sender, fake Slack over HTTP)");
  const slack = await new FakeSlack().start();
  const app = await openBenchApp();
  const clock = app.clock as ManualClock;
  const dispatcher = new OutboxDispatcher(
    app.store.outbox,
    { slack: new SlackSender("xoxb-bench", slack.url) },
    clock,
    { batch: 50 },
  );
  const channels = Array.from({ length: 50 }, (_, i) => `C${i}`).join(",");
  const owner = { id: "slack:U1", name: "Bench" };
  const o = await app.relais.services.outages.declare(owner, {
    title: "Messagerie",
    services: "Exchange",
    impact: "siège",
    assessment: { impact: "high", urgency: "high", workaround: "none" },
    channels,
  });
  await dispatcher.flush();
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    clock.set(clock.now().plus({ minutes: 1 }));
    const before = slack.of("chat.postMessage").length;
    const t0 = performance.now();
    await app.relais.services.outages.update(owner, o.id, { stage: "diagnostic", nextAction: `Étape ${i}` });
    await dispatcher.flush();
    samples.push(performance.now() - t0);
    if (slack.of("chat.postMessage").length - before !== 50) throw new Error("expected 50 posts per update");
  }
  const fan = summarize(
    samples,
    samples.reduce((a, b) => a + b, 0),
  );
  printTable([{ label: "update → 50 channels posted", s: fan }]);
  console.log(`per channel: ${(fan.p50 / 50).toFixed(2)} ms at p50`);
  await slack.stop();
  await app.close();
  return { checks };
}

/**
 * One measured pass with work to do: `count` jobs of kind "bench" made due, then the scheduler's
 * tick, which must fire exactly those (the scheduler and PostgreSQL sections).
 */
export function dueThenTick(app: BenchApp, scheduler: Scheduler, count: number): () => Promise<void> {
  let n = 0;
  return async () => {
    const now = app.clock.now();
    for (let j = 0; j < count; j++)
      await app.store.jobs.schedule(
        { key: `due-${n++}`, kind: "bench", dueAt: now.minus({ seconds: 1 }), payload: {} },
        now,
      );
    const fired = await scheduler.tick();
    if (fired !== count) throw new Error(`expected ${count} due jobs, ${fired} fired`);
  };
}

/** `size` open items: tickets written in bulk SQL (bench/seed.ts) and outages declared. */
async function seededApp(size: number): Promise<BenchApp> {
  const app = await openBenchApp();
  const actor = { id: "shell:bench", name: "Bench" };
  const started = performance.now();
  const outages = Math.min(100, Math.max(1, Math.floor(size / 100)));
  await seedOpenTickets(app, size - outages);
  for (let i = 0; i < outages; i++) {
    await app.relais.services.outages.declare(actor, {
      title: `Panne ${i}`,
      services: "ERP",
      impact: "compta",
      assessment: { impact: "high", urgency: "high", workaround: "none" },
      channels: "support",
    });
  }
  const pending = await app.store.jobs.countPending();
  console.log(
    `seeded ${size - outages} tickets and ${outages} outages: ${pending} pending jobs (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return app;
}

function k(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}
