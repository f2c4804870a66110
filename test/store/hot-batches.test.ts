import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { CommandToRun } from "../../src/kit/recorded-commands.ts";
import { relaisPerTest, TEST_STORE } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);

const command = (n: number): CommandToRun => ({
  platform: "slack",
  command: "ticket",
  sub: "new",
  given: { title: `Imprimante bloquée ${n}` },
  actor: { id: "slack:U1", name: "ana" },
  lang: "fr",
  channel: "C1",
  receivedAt: DateTime.fromISO("2026-11-28T10:00:00Z"),
});
const LEASE = DateTime.fromISO("2030-01-01");

/**
 * Issue 16: on SQLite, the commands a burst records before their acks share one transaction (a
 * savepoint each), committed once, before any of them is acknowledged.
 */
describe.runIf(TEST_STORE === "sqlite")("records before acks, batched on SQLite", () => {
  it("GIVEN 20 commands recorded in one turn of the loop THEN all are committed by one write of the log", async () => {
    const r = await start();
    const store = r.relais.store;
    await store.commands.record(command(0), "w", LEASE); // tables and indexes touched once already
    await store.checkpoint!();
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, n) => store.commands.record(command(n + 1), "w", LEASE)),
    );
    expect(new Set(ids).size).toBe(20);
    // Pages written to the log since the last checkpoint: one commit of the few pages 20 rows fill,
    // where a transaction each wrote the table's and its indexes' pages 20 times (about 60).
    const pages = await store.checkpoint!();
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(12);
    const stored = await store.commands.claimAbandoned("slack", DateTime.fromISO("2031-01-01"), "x", 1000, 100);
    expect(stored.map((c) => c.given.title).sort()).toEqual(
      Array.from({ length: 21 }, (_, n) => `Imprimante bloquée ${n}`).sort(),
    );
  });

  it("GIVEN a command finished in its unit WHEN another unit finishes it again THEN only the first is told to go on", async () => {
    const r = await start();
    const store = r.relais.store;
    const id = await store.commands.record(command(1), "w", LEASE);
    expect(await store.unit.run(() => store.commands.finish(id))).toBe(true);
    // A replica that stalled past its lease runs the same command: it finds it done and stops.
    expect(await store.unit.run(() => store.commands.finish(id))).toBe(false);
    expect(await store.commands.claimAbandoned("slack", DateTime.fromISO("2031-01-01"), "x", 1000, 100)).toEqual([]);
  });

  it("GIVEN one record of a batch failing THEN only its caller is refused; the others are committed", async () => {
    const r = await start();
    const store = r.relais.store;
    const broken = { ...command(3), platform: null as unknown as string }; // NOT NULL: refused by SQLite
    const outcomes = await Promise.allSettled(
      [command(1), command(2), broken, command(4)].map((c) => store.commands.record(c, "w", LEASE)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const stored = await store.commands.claimAbandoned("slack", DateTime.fromISO("2031-01-01"), "x", 1000, 100);
    expect(stored.map((c) => c.given.title).sort()).toEqual([
      "Imprimante bloquée 1",
      "Imprimante bloquée 2",
      "Imprimante bloquée 4",
    ]);
  });

  it("GIVEN a request's key claimed and then its record failing, in a batch THEN the claim goes with it: the request delivered again is recorded", async () => {
    const r = await start();
    const store = r.relais.store;
    const key = (n: number) => [{ key: `slack:once:${n}` }];
    const broken = { ...command(3), platform: null as unknown as string }; // NOT NULL: refused by SQLite
    const outcomes = await Promise.allSettled([
      store.commands.recordFirst(key(1), command(1), "w", LEASE),
      store.commands.recordFirst(key(3), broken, "w", LEASE),
      store.commands.recordFirst(key(4), command(4), "w", LEASE),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // Delivered again (Slack retries what was not acknowledged): not taken for one already handled.
    expect(typeof (await store.commands.recordFirst(key(3), command(3), "w", LEASE))).toBe("number");
    // The others' claims held: delivered again, each is the key taken.
    expect(await store.commands.recordFirst(key(1), command(1), "w", LEASE)).toEqual(key(1)[0]);
  });
});
