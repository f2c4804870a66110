import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { IdleCollector, lowMemoryCollection } from "../src/idle-collector.ts";

const MiB = 2 ** 20;

/** A collector over a hand-moved clock, heap and last request; `collected` counts the gc() calls. */
function collector(start: { heap: number; lastRequest: number; pending?: boolean }) {
  const state = { now: 10_000, heap: start.heap, lastRequest: start.lastRequest, pending: start.pending ?? false };
  let collected = 0;
  const c = new IdleCollector({
    acks: { lastRequestAt: () => ({ at: state.lastRequest, pending: state.pending }) },
    gc: async () => {
      collected++;
      state.heap = 40 * MiB; // what a full collection leaves: the live heap
    },
    heapSize: () => state.heap,
    now: () => state.now,
  });
  return { c, state, collected: () => collected };
}

describe("IdleCollector: a burst's garbage given back once the process is idle", () => {
  it("GIVEN the heap grown by a burst and no request for 2 s THEN one collection, and none again until it grows again", async () => {
    const { c, state, collected } = collector({ heap: 40 * MiB, lastRequest: 0 });
    state.heap = 130 * MiB; // the start-up resync's garbage
    state.lastRequest = 7_000;
    expect(await c.check()).toBe(true);
    expect(collected()).toBe(1);
    state.now += 60_000;
    expect(await c.check()).toBe(false);
    expect(collected()).toBe(1);
  });

  it("GIVEN a request less than 2 s ago, or one waiting for its ack THEN no collection (acks first)", async () => {
    const recent = collector({ heap: 40 * MiB, lastRequest: 0 });
    recent.state.heap = 200 * MiB;
    recent.state.lastRequest = 8_500;
    expect(await recent.c.check()).toBe(false);
    const waiting = collector({ heap: 40 * MiB, lastRequest: 0, pending: true });
    waiting.state.heap = 200 * MiB;
    expect(await waiting.c.check()).toBe(false);
    expect(recent.collected() + waiting.collected()).toBe(0);
  });

  it("GIVEN the heap grown by less than 24 MiB THEN no collection (a quiet process is left alone)", async () => {
    const { c, state, collected } = collector({ heap: 40 * MiB, lastRequest: 0 });
    state.heap = 60 * MiB;
    expect(await c.check()).toBe(false);
    expect(collected()).toBe(0);
  });

  it("GIVEN a collection still running THEN the next check starts none (one at a time)", async () => {
    const state = { heap: 200 * MiB };
    let collected = 0;
    let finish = () => {};
    const c = new IdleCollector({
      acks: { lastRequestAt: () => ({ at: 0, pending: false }) },
      gc: () => {
        collected++;
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
      heapSize: () => state.heap,
      now: () => 10_000,
    });
    state.heap = 300 * MiB;
    const first = c.check();
    expect(await c.check()).toBe(false);
    state.heap = 40 * MiB;
    finish();
    expect(await first).toBe(true);
    expect(collected).toBe(1);
  });

  it("GIVEN a collection that fails THEN the check says none was made, and the next one waits for the heap to grow again", async () => {
    const state = { heap: 40 * MiB };
    let asked = 0;
    const c = new IdleCollector({
      acks: { lastRequestAt: () => ({ at: 0, pending: false }) },
      gc: async () => {
        asked++;
        throw new Error("inspector refused");
      },
      heapSize: () => state.heap,
      now: () => 10_000,
    });
    state.heap = 100 * MiB;
    expect(await c.check()).toBe(false);
    expect(await c.check()).toBe(false);
    expect(asked).toBe(1);
    expect(c.collections).toBe(0);
  });

  it("GIVEN no collection available (a node without the inspector) THEN nothing is collected and no timer is started", async () => {
    const c = new IdleCollector({ acks: { lastRequestAt: () => ({ at: 0, pending: false }) }, gc: undefined });
    c.start();
    expect(await c.check()).toBe(false);
    c.stop();
  });
});

describe("lowMemoryCollection: the idle collection gives back the pages and the young generation, not only the objects", () => {
  /** A burst and a fragmented old space, collected once, in a process of its own (test/support/fragmented-heap.ts). */
  const collectedOnce = (how: "plain" | "low-memory") =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ["--expose-gc", "--import", "tsx", new URL("./support/fragmented-heap.ts", import.meta.url).pathname, how],
        { encoding: "utf8" },
      ),
    ) as { pages: number; live: number; kept: number; youngBefore: number; young: number };

  it("GIVEN a burst grew the young generation and nine in ten old objects were dropped THEN a plain collection keeps their pages and the young generation, the idle one neither", () => {
    const plain = collectedOnce("plain");
    const reduced = collectedOnce("low-memory");
    expect(plain.kept).toBe(100_000);
    // Measured: plain ~70 MiB of pages for ~11 MiB live, and the young generation kept at 32 MiB;
    // the idle collection ~11.5 MiB of pages, the young generation back to 1 MiB.
    expect(plain.pages).toBeGreaterThan(3 * plain.live);
    expect(plain.young).toBeGreaterThanOrEqual(8 * MiB);
    expect(reduced.youngBefore).toBeGreaterThanOrEqual(8 * MiB);
    expect(reduced.pages).toBeLessThan(1.5 * reduced.live);
    expect(reduced.young).toBeLessThanOrEqual(2 * MiB);
  });

  it("GIVEN this node THEN the collection is available (built with the inspector)", () => {
    expect(lowMemoryCollection()).toBeTypeOf("function");
  });
});
