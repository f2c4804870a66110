import { describe, expect, it } from "vitest";
import { AckPressure } from "../../src/kit/after-ack.ts";
import { QuietCheckpoints } from "../../src/store/quiet-checkpoints.ts";

/** Issue 16: SQLite's log is checkpointed once the acks waiting are done, never in their way. */
describe("QuietCheckpoints", () => {
  it("checkpoints only once no request waits for its ack", async () => {
    const acks = new AckPressure({ quietMs: 0, maxWaitMs: 60_000 });
    const done: string[] = [];
    const checkpoints = new QuietCheckpoints({
      store: {
        checkpoint: async () => {
          done.push("checkpoint");
          return 7;
        },
      },
      acks,
    });
    const acked = acks.arriving(); // a request waits for its ack
    const pass = checkpoints.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toEqual([]);
    done.push("ack");
    acked();
    expect(await pass).toBe(7);
    expect(done).toEqual(["ack", "checkpoint"]);
  });

  it("does nothing on a store without checkpoints (PostgreSQL), without waiting for quiet", async () => {
    const acks = new AckPressure({ quietMs: 0, maxWaitMs: 60_000 });
    acks.arriving(); // never acknowledged
    const checkpoints = new QuietCheckpoints({ store: {}, acks });
    expect(await checkpoints.now()).toBe(0);
  });
});
