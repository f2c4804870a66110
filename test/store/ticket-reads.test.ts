import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import type { Ticket } from "../../src/tickets/model.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);

/** A ticket as plain values: instants as ISO text in UTC, so two reads compare field by field. */
const plain = (t: Ticket | undefined) =>
  t && Object.fromEntries(Object.entries(t).map(([k, v]) => [k, DateTime.isDateTime(v) ? v.toUTC().toISO() : v]));

/**
 * A ticket read by id (on SQLite a prepared statement, issue 16; Prisma on PostgreSQL) reads every
 * column as the queue's read through Prisma does: dates as the same instants, absent fields absent.
 */
describe("a ticket read by id", () => {
  it("GIVEN a ticket with every date and text field set, then some cleared THEN get reads what the queue reads", async () => {
    const r = await start();
    expect((await r.say("/ticket Imprimante HS au 2e")).error).toBeUndefined();
    const { tickets } = r.relais.store;
    const at = (minutes: number) => r.clock.now().plus({ minutes }).set({ millisecond: 123 });
    const event = { at: r.clock.now(), actor: { id: "shell:ana", name: "Ana" }, kind: "updated" as const };
    const queued = async () => (await tickets.list({ statuses: ["new", "waiting", "resolved"], limit: 10 }))[0];

    await tickets.update(
      1,
      {
        firstResponseAt: at(1),
        nextUpdateDue: at(2),
        pausedAt: at(3),
        resolvedAt: at(4),
        autoCloseAt: at(5),
        closedAt: at(6),
        dueAt: at(7),
        ownerId: "shell:ana",
        ownerName: "Ana",
        workaround: "partial",
        pendingOwnerId: "shell:bob",
        parentId: null,
      },
      event,
    );
    const full = await tickets.get(1);
    expect(full?.pausedAt?.toMillis()).toBe(at(3).toMillis());
    expect(full?.ownerName).toBe("Ana");
    expect(plain(full)).toEqual(plain(await queued()));

    await tickets.update(1, { pausedAt: null, closedAt: null, pendingOwnerId: null }, event);
    const cleared = await tickets.get(1);
    expect(cleared).not.toHaveProperty("pausedAt");
    expect(cleared).not.toHaveProperty("pendingOwnerId");
    expect(plain(cleared)).toEqual(plain(await queued()));
    expect(await tickets.get(2)).toBeUndefined();
  });
});
