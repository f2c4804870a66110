import { afterEach, describe, expect, it } from "vitest";
import { ticketCard } from "../../src/tickets/views.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, paris, TUESDAY_10 } from "../support/fixtures.ts";

/** One story (issue 12): an outage declared from a ticket, and one state for linked records. */

let r: OutboxRelais;
afterEach(() => r.close());

const P1_TICKET = {
  title: "Messagerie indisponible au siège",
  scope: "tout le siège",
  impact: "élevé",
  urgency: "haute",
  workaround: "aucun contournement",
};
/** What the person still types in the outage form: the rest comes from the ticket. */
const DECLARE = { services: "Exchange", channels: "#support, #compta" };

async function start() {
  r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
  await r.say("/ticket", { form: P1_TICKET }); // T-1, P1
  await r.say("/ticket Messagerie indisponible pour moi aussi"); // T-2
  await r.say("/ticket lier T-2 T-1");
}

async function snapshot() {
  const tickets = await Promise.all([1, 2, 3].map((id) => r.relais.store.tickets.get(id)));
  const timelines = await Promise.all([1, 2, 3].map((id) => r.relais.store.tickets.timeline(id)));
  return JSON.stringify({ tickets, timelines, outages: await r.relais.services.outages.ongoing() });
}

const show = async (id: number, actor = alice) => r.text(`/ticket show T-${id}`, { actor });

describe("/outage declare T-<n>", () => {
  it("GIVEN a P1 ticket THEN the form is filled in from it, the outage and the ticket are linked on both timelines, and the announcement is the first response", async () => {
    await start();
    await r.at("2026-11-24T10:05");
    const reply = await r.say("/outage declare T-1", { form: DECLARE });
    expect(reply.error).toBeUndefined();
    expect(JSON.stringify(reply.blocks)).toContain("INC-1 est lié à T-1");
    const o = await r.relais.services.outages.get(1);
    expect(o.title).toBe("Messagerie indisponible au siège");
    expect(o.impact).toBe("tout le siège");
    expect(o.priority).toBe("P1");
    const t1 = await r.relais.services.tickets.get(1);
    expect(t1.outageId).toBe(1);
    // The first response is met at the announcement's time, for the ticket and the one under it.
    expect(t1.firstResponseAt?.toMillis()).toBe(o.declaredAt.toMillis());
    expect((await r.relais.services.tickets.get(2)).firstResponseAt?.toMillis()).toBe(o.declaredAt.toMillis());
    expect((await r.relais.store.tickets.timeline(1)).map((e) => e.kind)).toContain("outage_linked");
    const declared = (await r.relais.services.outages.timeline(1)).find((e) => e.kind === "declared");
    expect(declared?.data.ticket).toBe("T-1");
    expect((await r.relais.store.tickets.linked({ outageId: 1 })).map((t) => t.id)).toEqual([1]);
  });

  for (const [what, line, message] of [
    ["an unknown ticket", "/outage declare T-9", "Le ticket T-9 n’existe pas"],
    ["a closed ticket", "/outage declare T-3", "T-3 est clos"],
    ["an unknown ticket (EN)", "/outage declare T-9", "Ticket T-9 does not exist."],
    ["a closed ticket (EN)", "/outage declare T-3", "T-3 is closed: it cannot be linked nor declared as an outage."],
  ] as const) {
    it(`GIVEN ${what} THEN the declaration is refused before the form, and nothing changes`, async () => {
      await start();
      await r.say("/ticket Imprimante HS"); // T-3
      await r.say("/ticket resolve T-3 fixed câble rebranché");
      await r.say("/ticket close T-3");
      const before = await snapshot();
      const reply = await r.say(line, { form: {}, lang: what.endsWith("(EN)") ? "en" : "fr" });
      expect(reply.error).toBeDefined();
      expect(JSON.stringify(reply.blocks)).toContain(message);
      expect(await snapshot()).toBe(before);
      await r.dispatcher.flush();
      expect(r.out.sent).toEqual([]);
    });
  }

  it("GIVEN the ticket card THEN P1/P2 open tickets not yet linked offer Declare outage, P3 ones do not", async () => {
    await start();
    const x = r.relais.context(alice, "en").texts;
    const now = r.clock.now();
    const card = (id: number) =>
      r.relais.services.tickets.get(id).then((t) => JSON.stringify(ticketCard(x, t, r.relais.services.sla, now)));
    expect(await card(1)).toContain('"id":"ticket_declare"');
    expect(await card(1)).toContain("Declare outage");
    expect(await card(2)).not.toContain("ticket_declare"); // P3
    await r.say("/outage declare T-1", { form: DECLARE });
    expect(await card(1)).not.toContain("ticket_declare");
  });
});

describe("one state for linked records", () => {
  it("GIVEN an outage update THEN the ticket and the ticket under it show its stage, blocker, next action, last action and next update", async () => {
    await start();
    await r.say("/outage declare T-1", { form: DECLARE });
    await r.at("2026-11-24T10:40");
    await r.say("/outage update INC-1", {
      form: { stage: "log_analysis", nextAction: "redémarrer le nœud 2", blocker: "accès datacenter" },
    });
    for (const id of [1, 2]) {
      const summary = await show(id);
      expect(summary).toContain("analyse des logs");
      expect(summary).toContain("accès datacenter");
      expect(summary).toContain("redémarrer le nœud 2");
      expect(summary).toContain("point de INC-1 à 10:40 (heure de Paris)");
      expect(summary).toContain("Prochain point : 11:40.");
    }
  });

  it("GIVEN a parent ticket's update THEN its child shows the parent's status", async () => {
    await start();
    await r.say("/ticket update T-1 reproduction tester sur un autre poste");
    const summary = await show(2);
    expect(summary).toContain("reproduction");
    expect(summary).toContain("tester sur un autre poste");
    expect(summary).toContain("Statut suivi par T-1");
  });

  it("GIVEN a second follow-up the same day by the same person with no new fact THEN it says status unchanged, same stage and time (seed 002 Relance 2)", async () => {
    await start();
    await r.say("/outage declare T-1", { form: DECLARE });
    await r.say("/outage update INC-1 diagnostic vérifier le stockage");
    await r.at("2026-11-24T10:05");
    const first = await show(1, bob);
    expect(first).not.toContain("Statut inchangé");
    await r.at("2026-11-24T10:20");
    const second = await show(1, bob);
    expect(second).toContain("Statut inchangé : pris en charge, diagnostic. Prochain point : 11:00");
    // Someone else's first follow-up is not a repeat.
    expect(await show(1, alice)).not.toContain("Statut inchangé");
    // A new fact (an outage update) in between: the full answer again.
    await r.say("/outage update INC-1 log_analysis lire les journaux");
    expect(await show(1, alice)).not.toContain("Statut inchangé");
    // The next day, the first follow-up is not "unchanged" either.
    await r.at("2026-11-25T09:00");
    expect(await show(1, bob)).not.toContain("Statut inchangé");
  });
});

describe("the linked tickets' requesters", () => {
  it("GIVEN reachable requesters on linked tickets THEN each outage update reaches each of them privately, once", async () => {
    await start();
    await r.relais.store.tickets.update(
      1,
      { requesterId: "shell:ana" },
      { at: r.clock.now(), actor: alice, kind: "updated" },
    );
    await r.relais.store.tickets.update(
      2,
      { requesterId: "shell:leo" },
      { at: r.clock.now(), actor: alice, kind: "updated" },
    );
    await r.say("/outage declare T-1", { form: DECLARE });
    await r.at("2026-11-24T10:30");
    await r.say("/outage update INC-1 diagnostic vérifier le stockage");
    await r.dispatcher.flush();
    for (const who of ["ana", "leo"]) {
      const got = r.out.to(who);
      expect(got).toHaveLength(2); // the announcement, then the update
      expect(got[0]).toContain("🚨 INC-1");
      expect(got[1]).toContain("est concernée par INC-1");
      expect(got[1]).toContain("vérifier le stockage");
    }
    // A parent ticket's update reaches its children's requesters.
    await r.say("/ticket update T-1 reproduction tester le webmail");
    await r.dispatcher.flush();
    expect(r.out.to("leo")).toHaveLength(3);
    expect(r.out.to("leo")[2]).toContain("tester le webmail");
    expect(r.out.to("ana")).toHaveLength(2);
  });
});

describe("no change keeps the frame", () => {
  it("GIVEN an update then silence THEN the no-change post repeats the stage and the blocker", async () => {
    await start();
    await r.say("/outage declare T-1", { form: DECLARE });
    await r.at("2026-11-24T10:30");
    await r.say("/outage update INC-1", {
      form: { stage: "log_analysis", nextAction: "lire les journaux", blocker: "accès datacenter" },
    });
    await r.at("2026-11-24T11:30");
    const last = r.out.to("support").at(-1)!;
    expect(last).toContain("Pas de changement depuis 10:30 (heure de Paris)");
    expect(last).toContain("Étape : analyse des logs. Bloqué par : accès datacenter.");
  });
});

describe("the incident report tells the whole story", () => {
  it("GIVEN a ticket, a priority change, a declaration from it, updates on time and late, escalation steps and a handover THEN the report merges them, starts at the earliest 'since' and names people by role", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    await r.say("/ticket", { form: { title: "Messagerie indisponible", since: "depuis 08h40" } }); // T-1, P3
    await r.say("/ticket Messagerie coupée aussi"); // T-2
    await r.say("/ticket lier T-2 T-1");
    await r.at("2026-11-24T10:05");
    await r.say("/ticket priority T-1 P1 200 utilisateurs bloqués, service indisponible");
    await r.say("/outage declare T-1", {
      form: {
        ...DECLARE,
        impactText: "tout le siège",
        impact: "élevé",
        urgency: "haute",
        workaround: "aucun contournement",
      },
    });
    await r.at("2026-11-24T10:50");
    await r.say("/outage update INC-1 diagnostic vérifier le stockage"); // on time (promised 11:05)
    await r.at("2026-11-24T11:50"); // 11:50 due: no change fires
    await r.at("2026-11-24T12:10");
    await r.say("/outage update INC-1 log_analysis lire les journaux"); // promised 12:50: on time
    await r.at("2026-11-24T12:20");
    // The escalation steps as the escalation service records them on the ticket (src/escalations onTicket).
    const step = (actor: typeof alice, kind: "escalated" | "escalation_acknowledged" | "decided", data = {}) =>
      r.relais.services.tickets.record(actor, 1, { kind, data: { escalation: "E-1", ...data } });
    await step(alice, "escalated");
    await step(bob, "escalation_acknowledged");
    await step(carol, "decided", { option: "B", owner: "Bob" });
    await r.at("2026-11-24T13:30");
    await r.say("/outage resolve INC-1", { form: { whatHappened: "Disque saturé", result: "Rétabli" } });
    const report = await r.text("/outage rapport INC-1");
    const chronology = [
      "mar. 24 nov. 10:00 — T-1 ouvert par Alice (P3)",
      "mar. 24 nov. 10:00 — T-2 rattaché à T-1",
      "mar. 24 nov. 10:05 — T-1 : priorité P3 → P1 (200 utilisateurs bloqués, service indisponible)",
      "mar. 24 nov. 10:05 — panne déclarée par Alice (P1)",
      "mar. 24 nov. 10:05 — T-1 lié à la panne",
      "mar. 24 nov. 10:50 — point de Alice (à l’heure) : diagnostic, vérifier le stockage",
      "mar. 24 nov. 11:50 — pas de changement, point tenu à l’heure",
      "mar. 24 nov. 12:10 — point de Alice (à l’heure) : analyse des logs, lire les journaux",
      "mar. 24 nov. 12:20 — T-1 : escalade E-1 par Alice",
      "mar. 24 nov. 12:20 — T-1 : escalade prise en charge par Bob",
      "mar. 24 nov. 12:20 — T-1 : décision de Carol (B)",
      "mar. 24 nov. 13:30 — service rétabli (Alice)",
    ];
    let from = 0;
    for (const line of chronology) {
      const at = report.indexOf(line, from);
      expect(at, line).toBeGreaterThan(-1);
      from = at;
    }
    expect(report).toContain("Début de l’impact : mar. 24 nov. 08:40 (« depuis » de T-1 : depuis 08h40)");
    expect(report).toContain("Durée : 4 h 50 min");
    expect(report).toContain("- Alice (responsable, a escaladé)");
    expect(report).toContain("- Bob (destinataire de l’escalade)");
    expect(report).toContain("- Carol (manager qui a tranché)");
    expect(report).toContain("## Tickets liés");
  });

  it("GIVEN an update after its promised time THEN the report says how late it was", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    await r.say("/ticket", { form: P1_TICKET });
    await r.say("/outage declare T-1", { form: DECLARE });
    r.clock.set(paris("2026-11-24T11:20")); // promised 11:00, the clock moved without firing
    await r.say("/outage update INC-1 diagnostic vérifier le stockage");
    expect(await r.text("/outage rapport INC-1")).toContain("point de Alice (en retard de 20 min)");
  });
});
