import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { IdleCollector } from "../src/idle-collector.ts";

const MiB = 2 ** 20;

/** A collector over a hand-moved clock, heap and last request; `collected` counts the gc() calls. */
function collector(start: { heap: number; lastRequest: number; pending?: boolean }) {
  const state = { now: 10_000, heap: start.heap, lastRequest: start.lastRequest, pending: start.pending ?? false };
  let collected = 0;
  const c = new IdleCollector({
    acks: { lastRequestAt: () => ({ at: state.lastRequest, pending: state.pending }) },
    gc: () => {
      collected++;
      state.heap = 40 * MiB; // what a full collection leaves: the live heap
    },
    heapUsed: () => state.heap,
    now: () => state.now,
  });
  return { c, state, collected: () => collected };
}

describe("IdleCollector: a burst's garbage given back once the process is idle", () => {
  it("GIVEN the heap grown by a burst and no request for 2 s THEN one collection, and none again until it grows again", () => {
    const { c, state, collected } = collector({ heap: 40 * MiB, lastRequest: 0 });
    state.heap = 130 * MiB; // the start-up resync's garbage
    state.lastRequest = 7_000;
    expect(c.check()).toBe(true);
    expect(collected()).toBe(1);
    state.now += 60_000;
    expect(c.check()).toBe(false);
    expect(collected()).toBe(1);
  });

  it("GIVEN a request less than 2 s ago, or one waiting for its ack THEN no collection (acks first)", () => {
    const recent = collector({ heap: 40 * MiB, lastRequest: 0 });
    recent.state.heap = 200 * MiB;
    recent.state.lastRequest = 8_500;
    expect(recent.c.check()).toBe(false);
    const waiting = collector({ heap: 40 * MiB, lastRequest: 0, pending: true });
    waiting.state.heap = 200 * MiB;
    expect(waiting.c.check()).toBe(false);
    expect(recent.collected() + waiting.collected()).toBe(0);
  });

  it("GIVEN the heap grown by less than 24 MiB THEN no collection (a quiet process is left alone)", () => {
    const { c, state, collected } = collector({ heap: 40 * MiB, lastRequest: 0 });
    state.heap = 60 * MiB;
    expect(c.check()).toBe(false);
    expect(collected()).toBe(0);
  });

  it("GIVEN node without --expose-gc THEN nothing is collected and no timer is started", () => {
    const c = new IdleCollector({ acks: { lastRequestAt: () => ({ at: 0, pending: false }) }, gc: undefined });
    c.start();
    expect(c.check()).toBe(false);
    c.stop();
  });
});

describe("compacting: the idle collection gives back the pages, not only the objects", () => {
  /** A fragmented old space collected once, in a process of its own (test/support/fragmented-heap.ts). */
  const collectedOnce = (how: "plain" | "compacting") =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ["--expose-gc", "--import", "tsx", new URL("./support/fragmented-heap.ts", import.meta.url).pathname, how],
        { encoding: "utf8" },
      ),
    ) as { pages: number; live: number; kept: number };

  it("GIVEN nine in ten old objects dropped THEN a plain collection keeps their pages and a compacting one does not", () => {
    const plain = collectedOnce("plain");
    const compacted = collectedOnce("compacting");
    expect(plain.kept).toBe(100_000);
    // Measured: plain ~70 MiB of pages for ~11 MiB live; compacting ~11.5 MiB.
    expect(plain.pages).toBeGreaterThan(3 * plain.live);
    expect(compacted.pages).toBeLessThan(1.5 * compacted.live);
  });
});
