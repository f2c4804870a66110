import { createRequire } from "node:module";
import { getHeapStatistics } from "node:v8";
import type { Logger } from "pino";
import type { AckPressure } from "./kit/after-ack.ts";

/** What the collector reads and calls; the process's own by default (tests give their own). */
export interface IdleCollectorDeps {
  acks: Pick<AckPressure, "lastRequestAt">;
  /** The collection (`lowMemoryCollection`); none where it is unavailable. */
  gc: (() => Promise<void>) | undefined;
  /**
   * Bytes of JavaScript heap V8 holds (its total heap size): garbage not yet collected and the young
   * generation a burst grew included. What is in use is no signal: the burst's own collections bring
   * it back down while the pages they leave stay committed.
   */
  heapSize?: () => number;
  /** Milliseconds, monotonic. */
  now?: () => number;
  /** Each collection's pause and what it gave back, at debug level. */
  log?: Logger | undefined;
}

/** No request for this long: the process is idle. */
const QUIET_MS = 2000;
/** Heap grown by this much since the last collection: a burst's memory worth giving back. */
const GROWN_BYTES = 24 * 2 ** 20;
const CHECK_MS = 1000;

/**
 * Gives a burst's memory back once the process is idle (issue 16). V8 collects its old generation
 * under allocation pressure only, and keeps the young generation a burst grew (32 MiB) until its
 * memory reducer runs, 20–30 s into the quiet: what a burst left behind — the start-up resync over
 * thousands of open tickets, 500 requests at once and their cards — stays resident meanwhile
 * (60–100 MiB measured). Once no request came for 2 s and the heap grew by 24 MiB since the last
 * collection, one collection runs (`lowMemoryCollection`); never while requests come, nor two at once.
 */
export class IdleCollector {
  private readonly heapSize: () => number;
  private readonly now: () => number;
  private baseline: number;
  private timer: NodeJS.Timeout | undefined;
  private collecting = false;
  /** Collections run so far (for tests and the log). */
  collections = 0;

  constructor(private readonly d: IdleCollectorDeps) {
    this.heapSize = d.heapSize ?? (() => getHeapStatistics().total_heap_size);
    this.now = d.now ?? (() => performance.now());
    this.baseline = this.heapSize();
  }

  /** Checks every second, on an unref'd timer (it never keeps the process alive). */
  start(): void {
    if (!this.d.gc || this.timer) return;
    this.timer = setInterval(() => void this.check(), CHECK_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check: collects when idle and the heap grew enough; whether it did (once collected). Never rejects. */
  async check(): Promise<boolean> {
    const gc = this.d.gc;
    if (!gc || this.collecting) return false;
    const { at, pending } = this.d.acks.lastRequestAt();
    if (pending || this.now() - at < QUIET_MS) return false;
    if (this.heapSize() - this.baseline < GROWN_BYTES) return false;
    this.collecting = true;
    const before = this.baseline;
    const grown = this.heapSize();
    const began = this.now();
    try {
      await gc();
      this.collections++;
    } catch (e) {
      // Nothing was given back; the process goes on as it would without the collector.
      this.d.log?.warn({ err: e }, "idle collection failed");
      return false;
    } finally {
      this.collecting = false;
      this.baseline = this.heapSize();
    }
    this.d.log?.debug(
      {
        ms: Math.round(this.now() - began),
        heapMiB: [before, grown, this.baseline].map((b) => Math.round(b / 2 ** 20)),
      },
      "idle collection",
    );
    return true;
  }
}

/**
 * V8's low-memory notification, asked through an inspector session inside the process (what
 * DevTools' "collect garbage" button sends: HeapProfiler.collectGarbage): full collections until
 * nothing more is freed, the old space compacted and the young generation shrunk back to its start
 * size — what V8's memory reducer does on its own only 20–30 s into the quiet. A full collection
 * through `gc()` (--expose-gc), even compacting, kept the young generation a burst grew: measured on
 * a heap grown by a burst, heap committed 37 MiB after `gc()`, 4 MiB after this, RSS 121 → 57 MiB.
 * Undefined on a node built without the inspector.
 */
export function lowMemoryCollection(): (() => Promise<void>) | undefined {
  let inspector: typeof import("node:inspector");
  try {
    // Required here, not imported: on a node built without the inspector loading it throws.
    inspector = createRequire(import.meta.url)("node:inspector");
  } catch {
    return undefined;
  }
  return async () => {
    const session = new inspector.Session();
    session.connect();
    try {
      await new Promise<void>((resolve, reject) =>
        session.post("HeapProfiler.collectGarbage", (e) => (e ? reject(e) : resolve())),
      );
    } finally {
      session.disconnect();
    }
  };
}
