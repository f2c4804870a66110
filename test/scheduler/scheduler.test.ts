import { describe, expect, it } from "vitest";
import { createRelais } from "../../src/app.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { defaultPolicy, manualClock } from "../support/fixtures.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);
/** Another connection to the same database (another process, another replica). */
async function reopen(url: string): Promise<Store> {
  const store = await openStore(url);
  cleanups.push(() => store.close());
  return store;
}

describe("the durable scheduler", () => {
  it("GIVEN jobs due and not due THEN one pass fires the due ones once, earliest first", async () => {
    const r = await start();
    const fired: string[] = [];
    const s = new Scheduler(r.relais.store.jobs, r.clock).on("test", async (job) => void fired.push(job.key));
    const now = r.clock.now();
    await r.relais.store.jobs.schedule({ key: "b", kind: "test", dueAt: now.minus({ minutes: 1 }), payload: {} }, now);
    await r.relais.store.jobs.schedule({ key: "a", kind: "test", dueAt: now.minus({ minutes: 5 }), payload: {} }, now);
    await r.relais.store.jobs.schedule(
      { key: "later", kind: "test", dueAt: now.plus({ minutes: 5 }), payload: {} },
      now,
    );
    expect(await s.tick()).toBe(2);
    expect(await s.tick()).toBe(0);
    expect(fired).toEqual(["a", "b"]);
    r.clock.advance({ minutes: 5 });
    await s.tick();
    expect(fired).toEqual(["a", "b", "later"]);
  });

  it("GIVEN two replicas ticking at once on one database THEN each job fires exactly once", async () => {
    const r = await start();
    const other = await reopen(r.url);
    const fired: string[] = [];
    const handler = async (job: { key: string }) => void fired.push(job.key);
    const a = new Scheduler(r.relais.store.jobs, r.clock, { worker: "A" }).on("test", handler);
    const b = new Scheduler(other.jobs, r.clock, { worker: "B" }).on("test", handler);
    const now = r.clock.now();
    for (let i = 0; i < 40; i++)
      await r.relais.store.jobs.schedule(
        { key: `j${i}`, kind: "test", dueAt: now.minus({ seconds: i }), payload: {} },
        now,
      );
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect(fired.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `j${i}`).sort());
  });

  it("GIVEN a replica that claimed a job and died THEN another takes it over once the lease ends", async () => {
    const r = await start();
    const now = r.clock.now();
    await r.relais.store.jobs.schedule({ key: "orphan", kind: "test", dueAt: now, payload: {} }, now);
    const claimed = await r.relais.store.jobs.claimDue(now, "dead-worker", 60_000, 10);
    expect(claimed.map((j) => j.key)).toEqual(["orphan"]);
    const fired: string[] = [];
    const s = new Scheduler(r.relais.store.jobs, r.clock, { worker: "alive" }).on(
      "test",
      async (job) => void fired.push(job.key),
    );
    expect(await s.tick()).toBe(0); // still leased
    r.clock.set(now.plus({ seconds: 61 }));
    expect(await s.tick()).toBe(1);
    expect(fired).toEqual(["orphan"]);
    // The dead worker's late completion does not count.
    expect(await r.relais.store.jobs.complete(claimed[0]!.id, "dead-worker", r.clock.now())).toBe(false);
  });

  it("GIVEN a handler that fails THEN the job is retried later, not lost", async () => {
    const r = await start();
    let calls = 0;
    const s = new Scheduler(r.relais.store.jobs, r.clock).on("flaky", async () => {
      calls++;
      if (calls === 1) throw new Error("Slack is down");
    });
    const now = r.clock.now();
    await r.relais.store.jobs.schedule({ key: "f", kind: "flaky", dueAt: now, payload: {} }, now);
    expect(await s.tick()).toBe(0);
    expect(await r.relais.store.jobs.pending("f")).toBeDefined();
    r.clock.set(now.plus({ seconds: 31 }));
    expect(await s.tick()).toBe(1);
    expect(await r.relais.store.jobs.pending("f")).toBeUndefined();
  });

  it("GIVEN a restart (a new process on the same file) THEN stored jobs are still there and fire", async () => {
    const r = await start();
    await r.say("/outage declare", {
      form: {
        title: "VPN coupé",
        services: "VPN",
        impactText: "télétravailleurs",
        impact: "élevé",
        urgency: "haute",
        workaround: "aucun contournement",
        channels: "#support",
      },
    });
    const again = await reopen(r.url);
    const clock = manualClock("2026-11-24T11:00");
    const second = createRelais({ store: again, policy: defaultPolicy(), clock });
    expect(await second.scheduler.tick()).toBe(2); // the reminder (late) and the update due
    expect(await again.outbox.countUnsent()).toBeGreaterThanOrEqual(3);
  });
});
