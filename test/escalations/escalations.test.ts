import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, paris, withManagers, BILLING_NOTE } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r.close());

/** Carol is a manager; T-1 is a P2 billing ticket from M. Dupont. */
async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket", {
    form: {
      title: "Facture en double pour le client Dupont",
      requester: "M. Dupont",
      department: "Comptabilité",
      impact: "medium",
      urgency: "high",
      workaround: "partial",
    },
  });
}

describe("escalation without ping-pong", () => {
  it("GIVEN a note missing why and to whom THEN the 3W check returns it with what is missing, and nothing is sent", async () => {
    await start();
    const refused = await r.say("/escalate T-1", {
      form: { type: "billing", direction: "functional", request: "Annuler la facture", urgency: "24h", facts: "x" },
    });
    expect(refused.error).toBe("three_w_missing");
    const said = JSON.stringify(refused.blocks);
    expect(said).toContain("À qui (équipe + rôle)");
    expect(said).toContain("Pourquoi");
    expect(said).toContain("Prochain point");
    await r.dispatcher.flush();
    expect(r.out.sent).toEqual([]);
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual(["created"]);
  });

  it("GIVEN a complete note THEN it is posted with the seed's subject, followed up, acknowledged, questioned, decided by a manager only, announced once, all on the timeline", async () => {
    await start();
    const sent = await r.say("/escalate note T-1", { form: BILLING_NOTE });
    expect(sent.error).toBeUndefined();
    await r.dispatcher.flush();
    const [note] = r.out.to("escalades");
    expect(note).toContain(
      "Escalade - facturation - M. Dupont / Comptabilité - 1 client, 1 240 € - 24h - Ticket T-1 | 2026-11-24 10:00 Europe/Paris | Owner Alice",
    );
    for (const part of [
      "1) Contexte",
      "T-1 · Facture en double",
      "2) Faits (chronologie)",
      "3) Preuves / liens",
      "4) Actions déjà menées",
      "5) Demande précise",
      "6) Urgence et impact",
      "7) Recommandation",
      "[Prise en charge] [Demander une info] [Trancher]",
    ]) {
      expect(note).toContain(part);
    }
    // No acknowledgement within 24 h (standard): a follow-up in the thread; a second one suggests going up.
    await r.at("2026-11-25T09:59");
    expect(r.out.sent.filter((s) => s.threadOf)).toHaveLength(0);
    await r.at("2026-11-25T10:00");
    const noteId = r.out.sent[0]!.messageId;
    expect(r.out.sent.at(-1)).toMatchObject({ channel: "escalades", threadOf: noteId });
    expect(r.out.sent.at(-1)!.text).toContain(
      "Relance 1 : E-1 attend toujours la confirmation de prise en charge de Facturation N2",
    );
    await r.at("2026-11-26T10:00");
    expect(r.out.sent.at(-1)!.text).toContain("Deuxième silence : proposez une escalade hiérarchique");

    r.clock.set(paris("2026-11-26T10:30"));
    expect((await r.say("/escalate ack E-1 +2h", { actor: bob })).error).toBeUndefined();
    expect(
      (await r.say("/escalate info E-1 Quel est le numéro de prélèvement ?", { actor: bob })).error,
    ).toBeUndefined();
    expect((await r.say("/escalate answer E-1 PRLV-88213", { actor: alice })).error).toBeUndefined();
    const refused = await r.say("/escalate decide E-1 A", {
      actor: bob,
      form: { rationale: "Annulation", owner: "Bob" },
    });
    expect(refused.error).toBe("not_manager");
    const decided = await r.say("/escalate decide E-1 A", {
      actor: carol,
      form: { rationale: "Double prélèvement prouvé", owner: "Facturation N2" },
    });
    expect(decided.error).toBeUndefined();
    const again = await r.say("/escalate decide E-1 B", { actor: carol, form: { rationale: "x", owner: "y" } });
    expect(again.error).toBe("already_decided");
    expect((await r.say("/escalate announce E-1", { actor: bob })).error).toBe("not_owner");
    const announced = await r.say("/escalate announce E-1", { actor: alice });
    expect(JSON.stringify(announced.blocks)).toContain(
      // The option in words from the recommendation ("A : annuler"), the contact (the owner, no
      // person was named to take over), and the next update.
      "T-1 — Décision : annuler. Double prélèvement prouvé. Je reste votre point de contact (Alice). Prochain point : à fixer par le responsable.",
    );
    expect((await r.say("/escalate announce E-1", { actor: alice })).error).toBe("already_announced");
    await r.dispatcher.flush();
    const thread = r.out.sent.filter((s) => s.threadOf === noteId).map((s) => s.text);
    expect(thread.some((t) => t.includes("Bob prend en charge E-1"))).toBe(true);
    expect(thread.some((t) => t.includes("Bob demande à Alice : Quel est le numéro de prélèvement ?"))).toBe(true);
    expect(thread.some((t) => t.includes("PRLV-88213 (note complétée)"))).toBe(true);
    expect(thread.some((t) => t.includes("Carol tranche E-1 : option A"))).toBe(true);
    expect(r.out.to("U-alice").some((t) => t.includes("annoncez la décision une fois"))).toBe(true);
    expect(r.out.to("U-alice").some((t) => t.includes("Bob a besoin d’une information sur E-1"))).toBe(true);
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual([
      "created",
      "escalated",
      "escalation_follow_up",
      "escalation_follow_up",
      "escalation_acknowledged",
      "info_requested",
      "info_provided",
      "decided",
      "decision_announced",
    ]);
    const e = await r.relais.services.escalations.get(1);
    expect(e.facts).toContain("PRLV-88213");
  });

  it("GIVEN an acknowledged note THEN no follow-up goes out", async () => {
    await start();
    await r.say("/escalate T-1", { form: BILLING_NOTE });
    await r.say("/escalate ack E-1 15:00", { actor: bob });
    await r.at("2026-11-26T12:00");
    expect(r.out.sent.filter((s) => s.text.includes("Relance"))).toEqual([]);
  });

  it.each([
    ["/escalate T-9", "ticket_not_found"],
    ["/escalate ack E-9 15:00", "escalation_not_found"],
    ["/escalate ack E-1", "missing_argument"],
    ["/escalate decide E-1 A", "escalation_not_found"],
  ])("GIVEN %j THEN %s and nothing changes", async (line, code) => {
    await start();
    if (code === "missing_argument") await r.say("/escalate T-1", { form: BILLING_NOTE });
    // The receiving side (Bob) acknowledges; the note's author may not (own_escalation).
    expect((await r.say(line, { actor: bob })).error).toBe(code);
  });

  it("GIVEN a closed ticket THEN escalating it is refused and nothing is sent", async () => {
    await start();
    await r.say("/ticket resolve T-1 fixed Avoir émis");
    await r.say("/ticket confirm T-1");
    expect((await r.say("/escalate T-1", { form: BILLING_NOTE })).error).toBe("illegal_transition");
    await r.dispatcher.flush();
    expect(r.out.sent).toEqual([]);
  });

  it("GIVEN an empty precise request THEN the note is refused", async () => {
    await start();
    const refused = await r.say("/escalate T-1", { form: { ...BILLING_NOTE, request: "" } });
    expect(refused.error).toBe("three_w_missing");
    expect(JSON.stringify(refused.blocks)).toContain("Demande précise");
  });
});
