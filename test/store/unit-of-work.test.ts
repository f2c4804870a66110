import { describe, expect, it } from "vitest";
import { type OutboxRelais, relaisPerTest, startRelaisWithOutbox } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { P1_OUTAGE_FORM } from "../support/fixtures.ts";
import { reply } from "../../src/reply.ts";
import { STATUSES } from "../../src/tickets/model.ts";

const every = { statuses: STATUSES };
const alice = { id: "shell:alice", name: "alice" };
const post = (key: string) => ({ platform: "shell", channel: "support", key, reply: reply.public([]) });

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);
async function withOutbox(): Promise<OutboxRelais> {
  const r = await startRelaisWithOutbox();
  cleanups.push(() => r.close());
  return r;
}

/**
 * Issue 14, "one unit of work": what a command writes — its record, its timeline events, its
 * outbox posts, its jobs — commits together or not at all, on SQLite and on PostgreSQL.
 */
describe("one unit of work per command", () => {
  it("GIVEN the second channel's announcement cannot be written THEN the declaration leaves nothing: no outage, no event, no post, no job", async () => {
    const r = await withOutbox();
    const outbox = r.relais.store.outbox;
    const enqueue = outbox.enqueue.bind(outbox);
    outbox.enqueue = async (entry, now) => {
      if (entry.channel === "compta") throw new Error("disk I/O error");
      return enqueue(entry, now);
    };
    const refused = await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    expect(refused.error).toBe("internal");
    expect(await r.relais.store.outages.ongoing(10)).toEqual([]);
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
    expect(await r.relais.store.jobs.countPending()).toBe(0);
    await r.dispatcher.flush();
    expect(r.out.to("support")).toEqual([]);

    // Once the outbox takes writes again, the same declaration goes through whole.
    outbox.enqueue = enqueue;
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    const [outage] = await r.relais.store.outages.ongoing(10);
    expect((await r.relais.store.outages.timeline(outage!.id)).map((e) => e.kind)).toEqual(["declared"]);
    await r.dispatcher.flush();
    for (const ch of ["support", "compta"]) expect(r.out.to(ch)).toHaveLength(1);
    expect(await r.relais.store.jobs.pending(`INC-${outage!.id}:due`)).toBeDefined();
  });

  it("GIVEN a new ticket whose SLA warning job cannot be written THEN no ticket and no timeline are left", async () => {
    const r = await start();
    const jobs = r.relais.store.jobs;
    const schedule = jobs.schedule.bind(jobs);
    jobs.schedule = async () => {
      throw new Error("connection reset");
    };
    expect((await r.say("/ticket Imprimante du 2e étage HS")).error).toBe("internal");
    expect(await r.relais.store.tickets.count(every)).toBe(0);
    jobs.schedule = schedule;
    expect((await r.say("/ticket Imprimante du 2e étage HS")).error).toBeUndefined();
    const [t] = await r.relais.store.tickets.list({ ...every, limit: 10 });
    expect(t?.title).toBe("Imprimante du 2e étage HS");
    expect((await r.relais.services.tickets.timeline(t!.id)).map((e) => e.kind)).toEqual(["created"]);
    expect(await jobs.countPending()).toBeGreaterThan(0);
  });

  it("GIVEN a write outside a unit while a unit is open THEN it is not part of the unit: the unit rolls back, the other write stays", async () => {
    const r = await start();
    const { store } = r.relais;
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    let written!: () => void;
    const ticketWritten = new Promise<void>((res) => (written = res));
    const unit = store.unit
      .run(async () => {
        await r.relais.services.tickets.create(alice, { title: "Écran noir" });
        written();
        await gate;
        throw new Error("the command fails after its first write");
      })
      .catch((e: Error) => e.message);
    await ticketWritten;
    // Another request's write while the unit is open (on SQLite, the same connection).
    const outside = store.outbox.enqueue(post("other-request"), r.clock.now());
    // Time for that write to reach the database if nothing holds it back (the result does not
    // depend on it: only whether a wrong implementation gets caught).
    await new Promise((res) => setTimeout(res, 50));
    release();
    expect(await unit).toBe("the command fails after its first write");
    expect(await outside).toBe(true);
    expect(await store.tickets.count(every)).toBe(0);
    expect(await store.outbox.countUnsent()).toBe(1);
  });

  it("GIVEN two units recording the same outbox key at once THEN one post is recorded and both units complete", async () => {
    const r = await start();
    const { store } = r.relais;
    const now = r.clock.now();
    const both = await Promise.all([0, 1].map(() => store.unit.run(() => store.outbox.enqueue(post("same-key"), now))));
    expect(both.sort()).toEqual([false, true]);
    expect(await store.outbox.countUnsent()).toBe(1);
  });

  it("GIVEN a unit that meets a transient database error THEN it runs again as a whole and writes once", async () => {
    const r = await start();
    const { store } = r.relais;
    let attempts = 0;
    await store.unit.run(async () => {
      attempts++;
      await r.relais.services.tickets.create(alice, { title: "Écran noir" });
      // What PostgreSQL says when a write conflict ends a transaction: try it again.
      if (attempts === 1) throw Object.assign(new Error("write conflict"), { code: "P2034" });
    });
    expect(attempts).toBe(2);
    expect(await store.tickets.count(every)).toBe(1);
  });
});
