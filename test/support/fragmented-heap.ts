import { getHeapSpaceStatistics } from "node:v8";
import { compacting } from "../../src/idle-collector.ts";

/**
 * Run with `node --expose-gc --import tsx`: a million small objects promoted to the old space, nine
 * in ten dropped, then one full collection — plain, or `compacting` with argument "compacting" —
 * and prints the old space's pages and live bytes as JSON (test/idle-collector.test.ts).
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const all: { i: number; s: string }[] = [];
for (let i = 0; i < 1_000_000; i++) all.push({ i, s: `x${i}` });
gc(); // everything promoted to the old space
const kept = all.filter((_, i) => i % 10 === 0);
all.length = 0;
(process.argv[2] === "compacting" ? compacting(gc)! : gc)();
const old = getHeapSpaceStatistics().find((s) => s.space_name === "old_space")!;
process.stdout.write(`${JSON.stringify({ pages: old.space_size, live: old.space_used_size, kept: kept.length })}\n`);
