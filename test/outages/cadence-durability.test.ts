import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { carol, P1_OUTAGE_FORM, paris, withManagers, BILLING_NOTE } from "../support/fixtures.ts";

/**
 * Issue 14, "no cadence stops silently": a promised update whose posts could not be written is
 * retried until they are, the cadence goes on after it, and a start-up after a crash that lost the
 * jobs of outages and escalations schedules them again.
 */
let r: OutboxRelais;
afterEach(() => r.close());

const lines = (channel: string) => r.out.to(channel);

describe("an outage's cadence survives a failing write", () => {
  it("GIVEN the outbox cannot be written at 11:00 THEN the 11:00 update goes out on the retry, once, and the 12:00 one follows", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    const outbox = r.relais.store.outbox;
    const enqueue = outbox.enqueue.bind(outbox);
    let failures = 1;
    outbox.enqueue = async (entry, now) => {
      if (entry.key.includes("no-change") && failures-- > 0) throw new Error("disk I/O error");
      return enqueue(entry, now);
    };
    await r.at("2026-11-24T11:00"); // the job fails: nothing written, nothing posted
    expect(lines("support")).toHaveLength(1);
    await r.at("2026-11-24T11:01"); // its retry (30 s later) writes and posts; the next is counted from now
    for (const ch of ["support", "compta"]) {
      expect(lines(ch)).toHaveLength(2);
      expect(lines(ch)[1]).toContain("Prochain point à 12:01");
    }
    await r.at("2026-11-24T12:01");
    for (const ch of ["support", "compta"]) expect(lines(ch)).toHaveLength(3);
    const kinds = (await r.relais.store.outages.timeline(1)).map((e) => e.kind);
    expect(kinds.filter((k) => k === "no_change")).toHaveLength(2);
  });

  it("GIVEN the next job cannot be written after the 11:00 posts THEN the posts are not kept without it (one unit of work): the retry writes both, and the cadence goes on", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    const jobs = r.relais.store.jobs;
    const schedule = jobs.schedule.bind(jobs);
    let failures = 1;
    jobs.schedule = async (job, now) => {
      if (job.key === "INC-1:due" && now >= paris("2026-11-24T11:00") && failures-- > 0)
        throw new Error("connection reset");
      return schedule(job, now);
    };
    await r.at("2026-11-24T11:00"); // posts, record and next job roll back together
    for (const ch of ["support", "compta"]) expect(lines(ch)).toHaveLength(1);
    expect((await r.relais.store.outages.timeline(1)).map((e) => e.kind)).not.toContain("no_change");
    await r.at("2026-11-24T11:01"); // the retry writes them all, once
    for (const ch of ["support", "compta"]) {
      expect(lines(ch)).toHaveLength(2);
      expect(lines(ch)[1]).toContain("Prochain point à 12:01");
    }
    expect((await r.relais.store.jobs.pending("INC-1:due"))?.dueAt.toISO()).toBe(
      paris("2026-11-24T12:01").toUTC().toISO(),
    );
    await r.at("2026-11-24T12:01");
    for (const ch of ["support", "compta"]) expect(lines(ch)).toHaveLength(3);
  });
});

describe("start-up after a crash that lost the jobs", () => {
  it("GIVEN an ongoing outage whose jobs are gone THEN the resync schedules its update and reminder again, and 11:00 goes out", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    await r.relais.store.jobs.cancel("INC-1:due");
    await r.relais.store.jobs.cancel("INC-1:reminder");
    expect(await r.relais.resyncTimers()).toMatchObject({ outages: 1 });
    expect((await r.relais.store.jobs.pending("INC-1:due"))?.dueAt.toMillis()).toBe(
      paris("2026-11-24T11:00").toMillis(),
    );
    expect((await r.relais.store.jobs.pending("INC-1:reminder"))?.dueAt.toMillis()).toBe(
      paris("2026-11-24T10:50").toMillis(),
    );
    await r.at("2026-11-24T11:00");
    expect(lines("support")).toHaveLength(2);
  });

  it("GIVEN an outage's update claimed by another replica WHEN this one starts THEN the resync leaves the claim alone", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    const at = paris("2026-11-24T11:00");
    const theirs = await r.relais.store.jobs.claimDue(at, "replica-b", 60_000, 10);
    expect(theirs.map((j) => j.key).sort()).toEqual(["INC-1:due", "INC-1:reminder"]);
    await r.relais.resyncTimers();
    expect(await r.relais.store.jobs.claimDue(at, "replica-a", 60_000, 10)).toEqual([]);
  });

  it("GIVEN a sent escalation whose follow-up job is gone THEN the resync schedules it from the note's sending", async () => {
    r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
    await r.say("/ticket Facture en double pour le client Dupont");
    const sent = await r.say("/escalate note T-1", { form: BILLING_NOTE });
    expect(sent.error).toBeUndefined();
    const due = await r.relais.store.jobs.pending("E-1:follow-up");
    expect(due).toBeDefined();
    await r.relais.store.jobs.cancel("E-1:follow-up");
    r.clock.set(paris("2026-11-24T12:00"));
    expect(await r.relais.resyncTimers()).toMatchObject({ escalations: 1 });
    // Counted from the note (10:00 + 24 h standard), not from the restart.
    expect((await r.relais.store.jobs.pending("E-1:follow-up"))?.dueAt.toMillis()).toBe(due!.dueAt.toMillis());
    // A second start-up finds nothing missing.
    expect(await r.relais.resyncTimers()).toMatchObject({ escalations: 0 });
  });
});
