import type { Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AckPressure, AfterAck } from "../../src/kit/after-ack.ts";

/** Fake timers (setTimeout, setImmediate and performance.now): the delays are exact, nothing waits. */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe("AfterAck", () => {
  it("runs a job once requests have been quiet for quietMs", async () => {
    const work = new AfterAck({ quietMs: 50, maxWaitMs: 1000 });
    const ran: number[] = [];
    work.noteRequest();
    work.push(async () => {
      ran.push(performance.now());
    });
    await tick(40);
    expect(ran).toEqual([]);
    work.noteRequest(); // a new request at 40 ms: quiet again only at 90 ms
    await tick(40);
    expect(ran).toEqual([]);
    await tick(20);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toBeGreaterThanOrEqual(90);
  });

  it("does not wait more than maxWaitMs while requests keep coming", async () => {
    const work = new AfterAck({ quietMs: 50, maxWaitMs: 200 });
    const start = performance.now();
    let ranAt: number | undefined;
    work.push(async () => {
      ranAt = performance.now() - start;
    });
    for (let i = 0; i < 50 && ranAt === undefined; i++) {
      work.noteRequest();
      await tick(10);
    }
    expect(ranAt).toBeDefined();
    expect(ranAt).toBeGreaterThanOrEqual(190);
    expect(ranAt).toBeLessThanOrEqual(210);
  });

  it("runs at most `concurrency` jobs at a time, in the order they came", async () => {
    const work = new AfterAck({ concurrency: 2, quietMs: 0 });
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    for (const [i, g] of gates.entries()) {
      work.push(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await g.opened;
        running--;
      });
    }
    await tick(10);
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await tick(10);
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await tick(10);
    await work.drain();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("drain resolves at once when idle, and only after the last job otherwise", async () => {
    const work = new AfterAck({ quietMs: 0 });
    await expect(work.drain()).resolves.toBeUndefined();

    const g = gate();
    let finished = false;
    work.push(async () => {
      await g.opened;
      finished = true;
    });
    let drained = false;
    void work.drain().then(() => {
      drained = true;
    });
    await tick(50);
    expect(drained).toBe(false);
    g.open();
    await tick(0);
    expect(finished).toBe(true);
    expect(drained).toBe(true);
  });

  it("logs a failing job and goes on with the others", async () => {
    const error = vi.fn();
    const work = new AfterAck({ quietMs: 0, concurrency: 1, log: { error } as unknown as Logger });
    const boom = new Error("boom");
    const ran: string[] = [];
    work.push(async () => {
      ran.push("first");
      throw boom;
    });
    work.push(async () => {
      ran.push("second");
    });
    await tick(10);
    await work.drain();
    expect(ran).toEqual(["first", "second"]);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith({ err: boom }, "work after ack failed");
  });

  it("starts no job while a request waits for its ack, and runs them once it is acknowledged and quiet", async () => {
    const work = new AfterAck({ quietMs: 5, maxWaitMs: 1000 });
    const ran: number[] = [];
    const acked = work.arriving();
    work.push(async () => {
      ran.push(performance.now());
    });
    await tick(500);
    expect(ran).toEqual([]);
    acked();
    acked(); // idempotent: counted once
    await tick(4);
    expect(ran).toEqual([]);
    await tick(2);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toBeGreaterThanOrEqual(505);
  });

  it("under a pressure that does not let up, runs work one job at a time once it has waited maxWaitMs", async () => {
    const work = new AfterAck({ concurrency: 4, quietMs: 5, maxWaitMs: 100 });
    work.arriving(); // never acknowledged
    const gates = Array.from({ length: 3 }, gate);
    const started: number[] = [];
    for (const [i, g] of gates.entries())
      work.push(async () => {
        started.push(i);
        await g.opened;
      });
    await tick(99);
    expect(started).toEqual([]);
    await tick(2);
    expect(started).toEqual([0]);
    await tick(50);
    expect(started).toEqual([0]); // one at a time while pressed
    gates[0]!.open();
    await tick(1);
    expect(started).toEqual([0]); // the requests' turn: as long as the job took (about 50 ms)
    await tick(52);
    expect(started).toEqual([0, 1]);
    for (const g of gates) g.open();
    const drained = work.drain();
    await tick(10);
    await drained;
    expect(started).toEqual([0, 1, 2]);
  });

  it("under a pressure that does not let up, leaves the requests as much time after each job as it took", async () => {
    const work = new AfterAck({ concurrency: 4, quietMs: 5, maxWaitMs: 100 });
    work.arriving(); // never acknowledged
    const spans: { start: number; end: number }[] = [];
    for (const ms of [30, 10, 10])
      work.push(async () => {
        const start = performance.now();
        await new Promise((r) => setTimeout(r, ms));
        spans.push({ start, end: performance.now() });
      });
    await tick(1000);
    expect(spans).toHaveLength(3);
    const [a, b, c] = spans as [(typeof spans)[0], (typeof spans)[0], (typeof spans)[0]];
    expect(a.start).toBeGreaterThanOrEqual(100);
    // The next job waits as long as the last one took: 30 ms after the first, 10 after the second.
    expect(b.start - a.end).toBeGreaterThanOrEqual(30);
    expect(b.start - a.end).toBeLessThanOrEqual(32);
    expect(c.start - b.end).toBeGreaterThanOrEqual(10);
    expect(c.start - b.end).toBeLessThanOrEqual(12);
  });

  it("once the pressure is off, runs the queue at once and in parallel, with no rest", async () => {
    const work = new AfterAck({ concurrency: 4, quietMs: 5, maxWaitMs: 100 });
    const acked = work.arriving();
    const starts: number[] = [];
    for (let i = 0; i < 3; i++)
      work.push(async () => {
        starts.push(performance.now());
        await new Promise((r) => setTimeout(r, 30));
      });
    await tick(101);
    expect(starts).toHaveLength(1); // forced: one job, past maxWait
    acked();
    await tick(40);
    // The job forced under pressure took 30 ms, but the requests are acknowledged: no rest is owed.
    expect(starts).toHaveLength(3);
    expect(starts[2]! - starts[1]!).toBeLessThanOrEqual(1);
  });

  it("shares its pressure: a request another surface waits on holds this queue's work too", async () => {
    const pressure = new AckPressure();
    const slack = new AfterAck({ quietMs: 0, maxWaitMs: 1000, pressure });
    const discord = new AfterAck({ quietMs: 0, maxWaitMs: 1000, pressure });
    const ran: string[] = [];
    const acked = discord.arriving();
    slack.push(async () => void ran.push("slack job"));
    await tick(100);
    expect(ran).toEqual([]);
    acked();
    await tick(1);
    expect(ran).toEqual(["slack job"]);
  });

  it("quiet() resolves at once when no request waits, else once they are acknowledged, or after maxWaitMs", async () => {
    const pressure = new AckPressure({ quietMs: 5, maxWaitMs: 300 });
    let resolved = false;
    await tick(10);
    await pressure.quiet();
    const acked = pressure.arriving();
    void pressure.quiet().then(() => {
      resolved = true;
    });
    await tick(100);
    expect(resolved).toBe(false);
    acked();
    await tick(6);
    expect(resolved).toBe(true);

    resolved = false;
    pressure.arriving(); // never acknowledged
    void pressure.quiet().then(() => {
      resolved = true;
    });
    await tick(299);
    expect(resolved).toBe(false);
    await tick(2);
    expect(resolved).toBe(true);
  });
});
