import type { Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Periodic } from "../src/periodic.ts";

/** Fake timers: the interval fires exactly, nothing waits. */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A pass that fails while `broken` holds (the database gone), and succeeds otherwise. */
class Flaky extends Periodic<number> {
  broken = true;
  constructor(log: Logger) {
    super({ failure: "outbox pass failed", intervalMs: 500, log });
  }
  protected async pass(): Promise<number> {
    if (this.broken) throw new Error("database unavailable");
    return 0;
  }
}

function recordingLog() {
  const lines: { level: string; failedPasses: number; msg: string }[] = [];
  const at = (level: string) => (o: { failedPasses: number }, msg: string) =>
    lines.push({ level, failedPasses: o.failedPasses, msg });
  return { lines, log: { error: at("error"), warn: at("warn") } as unknown as Logger };
}

describe("a failure that lasts is logged when it starts, about once a minute, and when it ends", () => {
  it("GIVEN a pass failing every 500 ms for 3 minutes THEN 4 error lines (first, then each minute), then one line when it recovers", async () => {
    const { lines, log } = recordingLog();
    const worker = new Flaky(log);
    worker.start();
    await vi.advanceTimersByTimeAsync(180_000); // 360 failed passes
    expect(lines).toEqual([
      { level: "error", failedPasses: 1, msg: "outbox pass failed" },
      { level: "error", failedPasses: 120, msg: "outbox pass failed" },
      { level: "error", failedPasses: 240, msg: "outbox pass failed" },
      { level: "error", failedPasses: 360, msg: "outbox pass failed" },
    ]);
    worker.broken = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(lines.at(-1)).toEqual({
      level: "warn",
      failedPasses: 360,
      msg: "outbox pass failed: passes succeed again",
    });
    expect(lines).toHaveLength(5);
    // A new failure is logged at once again.
    worker.broken = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(lines.at(-1)).toMatchObject({ level: "error", failedPasses: 1 });
    await worker.stop();
  });
});
