import { afterEach, describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);
const processZone = process.env.TZ;
afterEach(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

/**
 * The times a ticket's creation writes (its hot path sends statements without Prisma, so it formats
 * dates itself) read back as the same instants whatever the time zone of the process running
 * Relais: a driver's own formatting writes local time into PostgreSQL's `timestamp(3)` columns,
 * hours off on a server not set to UTC.
 */
describe("times written by a ticket's creation", () => {
  it("GIVEN the same ticket opened by Relais on UTC and on New York time THEN both read back the same instants", async () => {
    const r = await start();
    const opened = async (zone: string, id: number) => {
      process.env.TZ = zone;
      expect((await r.say(`/ticket Imprimante n°${id} HS`)).error).toBeUndefined();
      delete process.env.TZ;
      const t = (await r.relais.store.tickets.get(id))!;
      const warning = await r.relais.store.jobs.pending(`T-${t.id}:warning`);
      return [t.createdAt, t.clockStart, t.firstResponseDue, t.resolutionDue, warning?.dueAt].map((d) => d?.toMillis());
    };
    const onUtc = await opened("UTC", 1);
    expect(onUtc.every((ms) => typeof ms === "number")).toBe(true);
    expect(onUtc[0]).toBe(r.clock.now().toMillis());
    expect(await opened("America/New_York", 2)).toEqual(onUtc);
  });
});
