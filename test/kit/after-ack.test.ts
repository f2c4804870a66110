import type { Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AfterAck } from "../../src/kit/after-ack.ts";

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
});
