import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { bob, carol, paris, withManagers, VPN_NOTE } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r?.close());

// No facts: the form proposes them from the timelines.
const NOTE = { ...VPN_NOTE, nextUpdate: "11:30" };

/** T-1 opened at 10:00 by Bob (its owner), taken by him at 10:05 (the first response), updated by him at 10:10. */
async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket VPN inaccessible au siège", { actor: bob });
  r.clock.set(paris("2026-11-24T10:05"));
  await r.say("/ticket take T-1", { actor: bob });
  r.clock.set(paris("2026-11-24T10:10"));
  await r.say("/ticket update T-1 log_analysis Analyser les journaux du concentrateur", { actor: bob });
}

/** INC-1 declared by Bob at 10:15, linked to T-1 at 10:16 (as `/outage declare T-1` will), updated at 10:20. */
async function withOutage() {
  r.clock.set(paris("2026-11-24T10:15"));
  await r.say("/outage declare", {
    actor: bob,
    form: {
      title: "VPN coupé",
      services: "VPN siège",
      impactText: "40 utilisateurs",
      impact: "élevé",
      urgency: "haute",
      workaround: "aucun contournement",
      channels: "#support",
    },
  });
  r.clock.set(paris("2026-11-24T10:16"));
  const t = await r.relais.services.tickets.get(1);
  await r.relais.store.tickets.update(
    1,
    { outageId: 1 },
    { at: r.clock.now(), actor: bob, kind: "updated", data: { stage: "diagnostic", nextAction: "Suivi sous INC-1" } },
    t.version,
  );
  r.clock.set(paris("2026-11-24T10:20"));
  await r.say("/outage update INC-1 diagnostic Redémarrer le concentrateur VPN", { actor: bob });
}

describe("the note's facts are proposed from the story", () => {
  it("GIVEN a ticket with its history THEN the facts field proposes one line per event, local time and zone, in French", async () => {
    await start();
    r.clock.set(paris("2026-11-24T10:30"));
    expect((await r.say("/escalate T-1", { actor: bob, form: NOTE })).error).toBeUndefined();
    expect((await r.relais.services.escalations.get(1)).facts).toBe(
      [
        "Heures en Europe/Paris.",
        "mar. 24 nov. 10:00 — T-1 · ouvert par Bob : VPN inaccessible au siège",
        "mar. 24 nov. 10:05 — T-1 · pris en charge par Bob",
        "mar. 24 nov. 10:10 — T-1 · point de Bob : analyse des logs, Analyser les journaux du concentrateur",
      ].join("\n"),
    );
  });

  it("GIVEN a linked outage THEN its events are merged in time order, and in English for an English reader", async () => {
    await start();
    await withOutage();
    r.clock.set(paris("2026-11-24T10:30"));
    expect((await r.say("/escalate T-1", { actor: bob, lang: "en", form: NOTE })).error).toBeUndefined();
    expect((await r.relais.services.escalations.get(1)).facts).toBe(
      [
        "Times in Europe/Paris.",
        "Tue 24 Nov 10:00 — T-1 · opened by Bob: VPN inaccessible au siège",
        "Tue 24 Nov 10:05 — T-1 · taken by Bob",
        "Tue 24 Nov 10:10 — T-1 · update by Bob: log analysis, Analyser les journaux du concentrateur",
        "Tue 24 Nov 10:15 — INC-1 · outage declared by Bob (P1): VPN siège",
        "Tue 24 Nov 10:16 — T-1 · update by Bob: diagnosis, Suivi sous INC-1",
        "Tue 24 Nov 10:20 — INC-1 · update by Bob: diagnosis, Redémarrer le concentrateur VPN",
      ].join("\n"),
    );
  });

  it("GIVEN facts typed by the technician THEN they replace the proposal", async () => {
    await start();
    await r.say("/escalate T-1", { actor: bob, form: { ...NOTE, facts: "Coupure à 09:40" } });
    expect((await r.relais.services.escalations.get(1)).facts).toBe("Coupure à 09:40");
  });
});
