import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { breachWarnings, slaStanding } from "../../src/sla/sla-state.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice, iso, paris } from "../support/fixtures.ts";

let r: TestRelais;
beforeEach(async () => {
  r = await startRelais({ now: paris("2026-11-27T15:00") }); // a Friday
});
afterEach(() => r.close());

const P2 = { impact: "medium", urgency: "medium", workaround: "partial" } as const;

describe("SLA standing and breach warnings", () => {
  it("GIVEN a P2 opened Friday 15:00 THEN its first response is due 17:00, warned at 16:30, resolution Tuesday", async () => {
    const t = await r.relais.services.tickets.create(alice, { title: "ERP lent", assessment: P2 });
    expect(t.priority).toBe("P2");
    const sla = r.relais.services.sla;
    const warnings = breachWarnings(t, sla);
    expect(warnings.map((w) => [w.target, iso(w.due), iso(w.warnAt)])).toEqual([
      ["first_response", "2026-11-27T17:00:00.000+01:00", "2026-11-27T16:30:00.000+01:00"],
      // Resolution 1-2bd: two business days after the clock start, same time of day.
      ["resolution", "2026-12-01T15:00:00.000+01:00", "2026-12-01T14:30:00.000+01:00"],
    ]);
    expect(slaStanding(t, sla, paris("2026-11-27T16:29")).state).toBe("ok");
    expect(slaStanding(t, sla, paris("2026-11-27T16:30")).state).toBe("at_risk");
    expect(slaStanding(t, sla, paris("2026-11-27T17:00"))).toMatchObject({
      state: "breached",
      target: "first_response",
    });
  });

  it("GIVEN a P2 opened Friday 17:30 (after the cut-off) THEN the 2 h run from Monday 08:00", async () => {
    r.clock.set(paris("2026-11-27T17:30"));
    const t = await r.relais.services.tickets.create(alice, { title: "Imprimante réseau", assessment: P2 });
    expect(iso(t.firstResponseDue)).toBe("2026-11-30T10:00:00.000+01:00");
    expect(iso(breachWarnings(t, r.relais.services.sla)[0]?.warnAt)).toBe("2026-11-30T09:30:00.000+01:00");
  });

  it("GIVEN a ticket waiting on the requester over the weekend THEN no warning is due and the clock carries over on Monday", async () => {
    const t = await r.relais.services.tickets.create(alice, { title: "Poste qui redémarre", assessment: P2 });
    await r.relais.services.tickets.wait(alice, t.id, "requester", "essai du nouveau câble");
    const paused = await r.relais.services.tickets.get(t.id);
    expect(breachWarnings(paused, r.relais.services.sla)).toEqual([]);
    expect(slaStanding(paused, r.relais.services.sla, paris("2026-11-30T12:00")).state).toBe("paused");
    // Paused Friday 15:00 with the resolution due Tuesday 15:00: 3 h (Fri) + 10 h (Mon) + 7 h (Tue) = 20 business hours left.
    r.clock.set(paris("2026-11-30T10:00"));
    await r.relais.services.tickets.update(alice, t.id, {
      stage: "diagnostic",
      nextAction: "Remplacer l'alimentation",
    });
    const resumed = await r.relais.services.tickets.get(t.id);
    expect(resumed.pausedAt).toBeUndefined();
    // The update is the first response; resumed Monday 10:00, the 20 h left end Wednesday 10:00.
    expect(resumed.firstResponseAt?.toMillis()).toBe(paris("2026-11-30T10:00").toMillis());
    expect(iso(resumed.resolutionDue)).toBe("2026-12-02T10:00:00.000+01:00");
  });

  it("GIVEN a ticket waiting on a third party (not a pausing state) THEN the clocks keep running", async () => {
    const t = await r.relais.services.tickets.create(alice, { title: "Licence bloquée", assessment: P2 });
    const waiting = await r.relais.services.tickets.wait(alice, t.id, "third-party", "réponse de l'éditeur");
    expect(waiting.pausedAt).toBeUndefined();
    expect(slaStanding(waiting, r.relais.services.sla, paris("2026-11-27T17:00")).state).toBe("breached");
  });
});
