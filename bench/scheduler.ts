import type { ManualClock } from "../src/clock.ts";
import { OutboxDispatcher } from "../src/outbox/dispatcher.ts";
import { Scheduler } from "../src/scheduler/scheduler.ts";
import { SlackSender } from "../src/surfaces/slack/slack-sender.ts";
import { FakeSlack } from "../test/support/fake-slack.ts";
import { openBenchApp } from "./app.ts";
import { printTable, ratioCheck, section, type Check } from "./report.ts";
import { measure, summarize, type Summary } from "./stats.ts";

/**
 * The scheduler's cost to find due work with 100 vs 10,000 open tickets and outages (each holds
 * pending jobs: SLA warnings, updates due, reminders), and the time to fan one outage update out
 * to 50 channels through the outbox and the Slack sender (HTTP to a fake Slack on 127.0.0.1).
 */
export async function schedulerBench(): Promise<{ checks: Check[] }> {
  section("Scheduler: finding due work with 100 vs 10,000 open tickets and outages");
  const rows: { label: string; s: Summary }[] = [];
  const idle = new Map<number, Summary>();
  const due = new Map<number, Summary>();
  for (const size of [100, 10_000]) {
    const app = await openBenchApp();
    const actor = { id: "shell:bench", name: "Bench" };
    const started = performance.now();
    const outages = Math.max(1, Math.floor(size / 100));
    for (let i = 0; i < size - outages; i++) {
      await app.relais.services.tickets.create(actor, {
        title: `Poste ${i} lent`,
        assessment: { impact: "medium", urgency: "medium", workaround: "partial" },
      });
    }
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
    // Nothing is due at 10:00: an idle pass is what replicas do every second.
    const s = new Scheduler(app.store.jobs, app.clock).on("bench", async () => {});
    const i = await measure(
      async () => {
        if ((await s.tick()) !== 0) throw new Error("nothing should be due");
      },
      { iterations: 300, warmup: 30 },
    );
    idle.set(size, i);
    rows.push({ label: `idle pass, ${size} open`, s: i });
    // 10 jobs due per pass, found among the others.
    let n = 0;
    const d = await measure(
      async () => {
        const now = app.clock.now();
        for (let j = 0; j < 10; j++)
          await app.store.jobs.schedule(
            { key: `bench-${n++}`, kind: "bench", dueAt: now.minus({ seconds: 1 }), payload: {} },
            now,
          );
        const t0 = performance.now();
        if ((await s.tick()) !== 10) throw new Error("expected 10 due jobs");
        return void (performance.now() - t0);
      },
      { iterations: 100, warmup: 10 },
    );
    due.set(size, d);
    rows.push({ label: `10 due (+ scheduling), ${size} open`, s: d });
    await app.close();
  }
  printTable(rows);
  const checks = [
    ratioCheck("scheduler idle pass p50 10k/100", idle.get(10_000)!.p50, idle.get(100)!.p50, 1.5),
    ratioCheck("scheduler idle pass p99 10k/100", idle.get(10_000)!.p99, idle.get(100)!.p99, 1.5),
    ratioCheck("scheduler 10-due pass p50 10k/100", due.get(10_000)!.p50, due.get(100)!.p50, 1.5),
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
