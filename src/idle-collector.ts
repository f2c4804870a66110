import { setFlagsFromString } from "node:v8";
import type { AckPressure } from "./kit/after-ack.ts";

/** What the collector reads and calls; the process's own by default (tests give their own). */
export interface IdleCollectorDeps {
  acks: Pick<AckPressure, "lastRequestAt">;
  /** V8's full collection: `globalThis.gc`, present when node runs with --expose-gc (npm start does). */
  gc: (() => void) | undefined;
  /** Bytes of JavaScript heap in use, garbage not yet collected included. */
  heapUsed?: () => number;
  /** Milliseconds, monotonic. */
  now?: () => number;
}

/** No request for this long: the process is idle. */
const QUIET_MS = 2000;
/** Heap grown by this much since the last collection: a burst's garbage worth giving back. */
const GROWN_BYTES = 24 * 2 ** 20;
const CHECK_MS = 1000;

/**
 * Gives a burst's memory back once the process is idle (issue 16). V8 collects its old generation
 * under allocation pressure only, so what a burst left behind — the start-up resync over thousands
 * of open tickets, 500 requests at once and their cards — stays resident for as long as the
 * helpdesk is quiet: 60–100 MiB measured. Once no request came for 2 s and the heap grew by 24 MiB
 * since the last collection, one full collection runs (tens of milliseconds on a heap this size);
 * never while requests come. Without --expose-gc it does nothing.
 */
export class IdleCollector {
  private readonly heapUsed: () => number;
  private readonly now: () => number;
  private baseline: number;
  private timer: NodeJS.Timeout | undefined;
  /** Collections run so far (for tests and the log). */
  collections = 0;

  constructor(private readonly d: IdleCollectorDeps) {
    this.heapUsed = d.heapUsed ?? (() => process.memoryUsage().heapUsed);
    this.now = d.now ?? (() => performance.now());
    this.baseline = this.heapUsed();
  }

  /** Checks every second, on an unref'd timer (it never keeps the process alive). */
  start(): void {
    if (!this.d.gc || this.timer) return;
    this.timer = setInterval(() => this.check(), CHECK_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check: collects when idle and the heap grew enough; whether it did. */
  check(): boolean {
    const gc = this.d.gc;
    if (!gc) return false;
    const { at, pending } = this.d.acks.lastRequestAt();
    if (pending || this.now() - at < QUIET_MS) return false;
    if (this.heapUsed() - this.baseline < GROWN_BYTES) return false;
    gc();
    this.collections++;
    this.baseline = this.heapUsed();
    return true;
  }
}

/**
 * `gc` made to compact every page it keeps (V8's --compact-on-every-full-gc, set around the one
 * collection and unset after). A plain full collection frees objects but leaves the old space's
 * pages as fragmented as the burst left them: 28 MiB live spread over 67–78 MiB of pages, measured
 * with 10,000 open tickets; compacted, 29 MiB (issue 16, RSS at idle 226 → 170 MiB). V8's own
 * memory reducer does the same only some 20–30 s into the quiet.
 */
export function compacting(gc: (() => void) | undefined): (() => void) | undefined {
  if (!gc) return undefined;
  return () => {
    setFlagsFromString("--compact-on-every-full-gc");
    try {
      gc();
    } finally {
      setFlagsFromString("--no-compact-on-every-full-gc");
    }
  };
}
