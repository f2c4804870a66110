import { describe, expect, it } from "vitest";
import { AckPressure } from "../../src/kit/after-ack.ts";
import { QuietCheckpoints } from "../../src/store/quiet-checkpoints.ts";
import { SqliteCheckpointer } from "../../src/store/sqlite-checkpointer.ts";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";

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

/**
 * The store's checkpoint runs on a connection and a thread of its own (src/store/sqlite-checkpointer.ts):
 * on the store's connection it held the event loop for the whole copy (4–15 ms in the Slack bench).
 */
describe("SQLite's checkpoint", () => {
  const cleanups = cleanupsAfterEach();
  const start = relaisPerTest(cleanups);

  it("GIVEN a unit of work holding the store's connection THEN a checkpoint still copies the log, without it", async () => {
    const r = await start();
    const store = r.relais.store;
    expect((await r.say("/ticket Imprimante HS au 2e")).error).toBeUndefined();
    // On the store's connection the checkpoint would wait for this unit's turn to end, which waits for it.
    const pages = await store.unit.run(async () => {
      await store.tickets.get(1);
      return Promise.race([
        store.checkpoint!(),
        new Promise<string>((r) => setTimeout(() => r("still waiting after 10 s"), 10_000).unref()),
      ]);
    });
    expect(typeof pages === "number" && pages > 0 ? "copied" : pages).toBe("copied");
    expect((await store.tickets.get(1))?.title).toBe("Imprimante HS au 2e");
  });

  it("GIVEN the store closed THEN its checkpointer's thread ends, and a checkpoint asked for then copies nothing", async () => {
    const r = await start();
    const store = r.relais.store;
    const ports = () => process.getActiveResourcesInfo().filter((k) => k === "MessagePort").length;
    const before = ports();
    expect(await store.checkpoint!()).toBeGreaterThanOrEqual(0);
    expect(ports()).toBe(before + 1); // the checkpointer's thread
    await store.close();
    expect(ports()).toBe(before);
    expect(await store.checkpoint!()).toBe(0);
    expect(ports()).toBe(before);
  });

  it("GIVEN no row changed since the last checkpoint THEN the next one is skipped; a write makes the one after copy again", async () => {
    const r = await start();
    const store = r.relais.store;
    expect((await r.say("/ticket Imprimante HS au 2e")).error).toBeUndefined();
    expect(await store.checkpoint!()).toBeGreaterThan(0);
    // A passive checkpoint asked again reports the log's pages it holds copied; skipped, none.
    expect(await store.checkpoint!()).toBe(0);
    expect((await r.say("/ticket Écran noir")).error).toBeUndefined();
    expect(await store.checkpoint!()).toBeGreaterThan(0);
  });

  it("GIVEN no checkpoint asked for a while THEN the thread ends, and the next checkpoint starts another", async () => {
    const r = await start();
    expect((await r.say("/ticket Imprimante HS au 2e")).error).toBeUndefined();
    const checkpointer = new SqliteCheckpointer(r.dbPath, 50);
    cleanups.push(() => checkpointer.close());
    expect(await checkpointer.checkpoint()).toBeGreaterThan(0);
    expect(checkpointer.running).toBe(true);
    for (let i = 0; i < 200 && checkpointer.running; i++) await new Promise((w) => setTimeout(w, 25));
    expect(checkpointer.running).toBe(false);
    expect(await checkpointer.checkpoint()).toBeGreaterThanOrEqual(0);
    expect(checkpointer.running).toBe(true);
  });
});
