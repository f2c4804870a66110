import { afterEach, describe, expect, it } from "vitest";
import type { Policy } from "../../src/config/policy.ts";
import { parseDuration } from "../../src/sla/duration.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, defaultPolicy, paris, rawPolicy, variant } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r.close());

async function start(iso: string, policy?: Policy) {
  r = await startRelaisWithOutbox({ now: paris(iso), ...(policy ? { policy } : {}) });
}

describe("ticket timers", () => {
  it("GIVEN a P2 with no first response THEN its owner is warned 30 business minutes before, once", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket", {
      actor: bob,
      form: { title: "ERP lent pour la compta", impact: "medium", urgency: "medium", workaround: "partial" },
    });
    await r.at("2026-11-24T11:29");
    expect(r.out.to("U-bob")).toEqual([]);
    await r.at("2026-11-24T11:30");
    expect(r.out.to("U-bob")).toEqual([
      "⚠️ T-1 : première réponse due à 12:00 (heure de Paris). Un point maintenant évite le dépassement.",
    ]);
    await r.at("2026-11-24T11:45");
    expect(r.out.to("U-bob")).toHaveLength(1);
  });

  it("GIVEN the first response given in time THEN no warning goes out for it", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket", {
      actor: bob,
      form: { title: "ERP lent", impact: "medium", urgency: "medium", workaround: "partial" },
    });
    await r.say("/ticket take T-1", { actor: bob });
    await r.at("2026-11-24T11:30");
    expect(r.out.to("U-bob")).toEqual([]);
  });

  it("GIVEN a resolved ticket never confirmed THEN it closes by itself after 72 h, and a confirmed one does not", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket Souris perdue");
    await r.say("/ticket Clavier HS");
    await r.say("/ticket resolve T-1 fixed Souris retrouvée");
    await r.say("/ticket resolve T-2 fixed Clavier remplacé");
    await r.say("/ticket confirm T-2");
    await r.at("2026-11-27T09:59");
    expect((await r.relais.services.tickets.get(1)).status).toBe("resolved");
    await r.at("2026-11-27T10:00");
    const t1 = await r.relais.services.tickets.get(1);
    expect(t1.status).toBe("closed");
    const last = (await r.relais.services.tickets.timeline(1)).at(-1)!;
    expect(last).toMatchObject({
      kind: "closed",
      reason: "auto-close",
      actor: { id: "system:relais" },
      data: { automatic: true },
    });
    expect(r.out.to("U-alice")).toContain(
      "🔒 T-1 clos automatiquement : le demandeur n’a pas répondu depuis la résolution (72 h).",
    );
    expect((await r.relais.services.tickets.timeline(2)).filter((e) => e.kind === "closed")).toHaveLength(0);
  });

  it("GIVEN autoCloseAfter: 30s THEN a resolved, unconfirmed ticket closes 30 seconds after its resolution", async () => {
    await start("2026-11-24T10:00", { ...defaultPolicy(), autoCloseAfter: parseDuration("30s")! });
    await r.say("/ticket Souris perdue");
    await r.say("/ticket resolve T-1 fixed Souris retrouvée");
    expect((await r.relais.services.tickets.get(1)).autoCloseAt?.toMillis()).toBe(
      paris("2026-11-24T10:00:30").toMillis(),
    );
    await r.at("2026-11-24T10:00:29");
    expect((await r.relais.services.tickets.get(1)).status).toBe("resolved");
    await r.at("2026-11-24T10:00:30");
    expect((await r.relais.services.tickets.get(1)).status).toBe("closed");
  });

  it("GIVEN a ticket reopened before the 72 h THEN it does not close by itself", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket Imprimante bloquée");
    await r.say("/ticket resolve T-1 fixed Bourrage retiré");
    await r.say("/ticket reopen T-1 ça recommence", { actor: alice });
    await r.at("2026-11-28T10:00");
    expect((await r.relais.services.tickets.get(1)).status).toBe("in_progress");
  });
});

describe("timers after a crash", () => {
  it("GIVEN a ticket whose jobs were lost between its write and theirs THEN the start-up resync schedules them again", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket Souris perdue");
    await r.say("/ticket Clavier HS");
    await r.say("/ticket resolve T-2 fixed Clavier remplacé");
    await r.relais.store.jobs.cancel("T-1:warning");
    await r.relais.store.jobs.cancel("T-2:auto_close");
    expect(await r.relais.store.jobs.pending("T-1:warning")).toBeUndefined();
    expect(await r.relais.resyncTimers()).toEqual({ tickets: 2, outages: 0, escalations: 0, slaReports: 0 });
    expect(await r.relais.store.jobs.pending("T-1:warning")).toBeDefined();
    expect((await r.relais.store.jobs.pending("T-2:auto_close"))?.dueAt.toMillis()).toBe(
      paris("2026-11-27T10:00").toMillis(),
    );
  });

  it("GIVEN Relais down over a ticket's warning and its deadline THEN the restart still warns, late, once — its job kept or lost", async () => {
    await start("2026-11-24T10:00");
    const p2 = { impact: "medium", urgency: "medium", workaround: "partial" };
    await r.say("/ticket", { actor: bob, form: { title: "ERP lent", ...p2 } });
    await r.say("/ticket", { actor: alice, form: { title: "VPN lent", ...p2 } });
    // T-2 died between its write and its job's.
    await r.relais.store.jobs.cancel("T-2:warning");
    // Down from 11:00 to 12:30: the warnings (11:30) and the deadlines (12:00) passed meanwhile.
    r.clock.set(paris("2026-11-24T12:30"));
    await r.relais.resyncTimers();
    await r.at("2026-11-24T12:30");
    const warning = (ref: string) =>
      `⚠️ ${ref} : première réponse due à 12:00 (heure de Paris). Un point maintenant évite le dépassement.`;
    expect(r.out.to("U-bob")).toEqual([warning("T-1")]);
    expect(r.out.to("U-alice")).toEqual([warning("T-2")]);
    // Once: a later start finds them sent, and schedules only the next deadline's warning.
    await r.relais.resyncTimers();
    const next = await r.relais.store.jobs.pending("T-1:warning");
    expect(next!.dueAt > paris("2026-11-24T12:30")).toBe(true);
    await r.at("2026-11-24T12:45");
    expect([...r.out.to("U-bob"), ...r.out.to("U-alice")]).toHaveLength(2);
  });

  it("GIVEN a warning claimed by another replica WHEN this one starts THEN the resync leaves the claim alone: it fires once", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket", {
      actor: bob,
      form: { title: "ERP lent", impact: "medium", urgency: "medium", workaround: "partial" },
    });
    const at = paris("2026-11-24T11:30");
    const theirs = await r.relais.store.jobs.claimDue(at, "replica-b", 60_000, 10);
    expect(theirs.map((j) => j.key)).toEqual(["T-1:warning"]);
    r.clock.set(at);
    await r.relais.resyncTimers();
    expect(await r.relais.store.jobs.claimDue(at, "replica-a", 60_000, 10)).toEqual([]);
  });

  it("GIVEN the warning delay edited between two starts THEN the restart moves the pending warning", async () => {
    await start("2026-11-24T10:00");
    await r.say("/ticket", {
      actor: bob,
      form: { title: "ERP lent", impact: "medium", urgency: "medium", workaround: "partial" },
    });
    expect((await r.relais.store.jobs.pending("T-1:warning"))?.dueAt.toMillis()).toBe(
      paris("2026-11-24T11:30").toMillis(),
    );
    const sla = rawPolicy().sla as Record<string, Record<string, unknown>>;
    const edited = variant({ sla: { ...sla, P2: { ...sla.P2, warnBefore: "1h" } } });
    const restarted = await r.restart({ policy: edited });
    r = { ...r, ...restarted };
    await restarted.relais.resyncTimers();
    expect((await restarted.relais.store.jobs.pending("T-1:warning"))?.dueAt.toMillis()).toBe(
      paris("2026-11-24T11:00").toMillis(),
    );
  });
});
