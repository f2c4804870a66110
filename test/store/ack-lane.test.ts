import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { relaisPerTest, TEST_STORE } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { Turns, urgently } from "../../src/store/ambient-transaction.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);

/** A promise and the function that settles it: a turn held open until the test lets it go. */
function gate(): { open: () => void; shut: Promise<void> } {
  let open!: () => void;
  const shut = new Promise<void>((r) => {
    open = r;
  });
  return { open, shut };
}

/**
 * Issue 16, "acks never wait behind work": on SQLite (one connection, statements take turns), the
 * command recorded before its ack goes ahead of the units of work already waiting for their turn.
 */
describe("the ack's lane on SQLite", () => {
  it("GIVEN a turn held and work waiting WHEN urgent work arrives THEN it runs next, after earlier urgent work only", async () => {
    const turns = new Turns();
    const order: string[] = [];
    const held = gate();
    const first = turns.run(async () => {
      await held.shut;
      order.push("held");
    });
    const queued = ["unit-1", "unit-2"].map((n) => turns.run(async () => void order.push(n)));
    const urgent = ["ack-1", "ack-2"].map((n) => urgently(() => turns.run(async () => void order.push(n))));
    const later = turns.run(async () => void order.push("unit-3"));
    held.open();
    await Promise.all([first, ...queued, ...urgent, later]);
    expect(order).toEqual(["held", "ack-1", "ack-2", "unit-1", "unit-2", "unit-3"]);
  });

  it("GIVEN a failing turn THEN the next one still runs and the failure reaches its caller", async () => {
    const turns = new Turns();
    const failed = turns.run(async () => {
      throw new Error("disk I/O error");
    });
    const next = turns.run(async () => "ran");
    await expect(failed).rejects.toThrow("disk I/O error");
    await expect(next).resolves.toBe("ran");
  });

  it.runIf(TEST_STORE === "sqlite")(
    "GIVEN units of work queued behind an open one WHEN a command is recorded before its ack THEN its insert is done before them",
    async () => {
      const r = await start();
      const store = r.relais.store;
      const order: string[] = [];
      const held = gate();
      const entered = gate();
      const open = store.unit.run(async () => {
        await store.commands.purgeDone(DateTime.fromISO("2000-01-01"));
        entered.open();
        await held.shut;
        order.push("open unit");
      });
      await entered.shut;
      const queued = [1, 2, 3].map((n) =>
        store.unit.run(async () => {
          await store.commands.purgeDone(DateTime.fromISO("2000-01-01"));
          order.push(`unit ${n}`);
        }),
      );
      const recorded = store.commands
        .record(
          {
            platform: "slack",
            command: "ticket",
            sub: "new",
            given: { title: "Messagerie inaccessible" },
            actor: { id: "slack:U1", name: "ana" },
            lang: "fr",
            channel: "C1",
            receivedAt: DateTime.fromISO("2026-11-28T10:00:00Z"),
          },
          "test",
          DateTime.fromISO("2030-01-01"),
        )
        .then(() => order.push("recorded"));
      held.open();
      await Promise.all([open, ...queued, recorded]);
      expect(order).toEqual(["open unit", "recorded", "unit 1", "unit 2", "unit 3"]);
    },
  );
});
