import { getHeapSpaceStatistics } from "node:v8";
import { lowMemoryCollection } from "../../src/idle-collector.ts";

/**
 * Run with `node --expose-gc --import tsx`: a burst's worth of short-lived objects (the young
 * generation grows to its maximum), then a million small objects promoted to the old space and
 * nine in ten dropped, then one collection — a plain full one (`gc()`), or with argument
 * "low-memory" the idle collector's (`lowMemoryCollection`) — and prints the old space's pages and
 * live bytes and the young generation's size as JSON (test/idle-collector.test.ts).
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
let burst: { i: number; s: string }[] = [];
for (let r = 0; r < 40; r++) {
  for (let i = 0; i < 100_000; i++) burst.push({ i, s: `b${i}` });
  burst = burst.slice(-20_000);
}
burst = [];
const all: { i: number; s: string }[] = [];
for (let i = 0; i < 1_000_000; i++) all.push({ i, s: `x${i}` });
gc(); // everything promoted to the old space
const kept = all.filter((_, i) => i % 10 === 0);
all.length = 0;
const space = (name: string) => getHeapSpaceStatistics().find((s) => s.space_name === name)!;
const youngBefore = space("new_space").space_size;
if (process.argv[2] === "low-memory") await lowMemoryCollection()!();
else gc();
const old = space("old_space");
process.stdout.write(
  `${JSON.stringify({ pages: old.space_size, live: old.space_used_size, kept: kept.length + burst.length, youngBefore, young: space("new_space").space_size })}\n`,
);
