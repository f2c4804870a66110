import { afterEach, describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/config/policy.ts";
import type { OutboxDispatcher } from "../../src/outbox/dispatcher.ts";
import { alice, bob, paris, POLICY_PATH, startRelais, type TestRelais } from "../helpers.ts";
import { RecordingSender } from "../support/recording-sender.ts";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

let r: TestRelais;
let out: RecordingSender;
let dispatcher: OutboxDispatcher;
afterEach(() => r.close());

const carol = { id: "U-carol", name: "Carol" }; // a manager
async function start() {
  const raw = parse(readFileSync(POLICY_PATH, "utf8"));
  raw.managers.users = ["U-carol"];
  r = await startRelais({ now: paris("2026-11-24T10:00"), policy: parsePolicy(raw) });
  out = new RecordingSender();
  dispatcher = r.relais.dispatcher({ shell: out });
  await r.say("/ticket", {
    answers: [
      "Facture en double pour le client Dupont",
      "M. Dupont",
      "Comptabilité",
      "",
      "medium",
      "high",
      "partial",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ],
  });
}
async function at(iso: string) {
  r.clock.set(paris(iso));
  await r.relais.scheduler.tick();
  await dispatcher.flush();
}
// type, direction, to whom, why, request, urgency, next update, context, facts, evidence, actions, impact, deadline, recommendation
const NOTE = [
  "billing",
  "functional",
  "Facturation N2",
  "Seule la facturation peut annuler une facture",
  "Annuler la facture F-2026-114 et confirmer le remboursement",
  "24h",
  "16:00",
  "",
  "Client débité deux fois le 23/11",
  "https://erp/F-2026-114",
  "Vérification du prélèvement",
  "1 client, 1 240 €",
  "clôture comptable le 30/11",
  "A : annuler ; B : avoir",
];

describe("escalation without ping-pong", () => {
  it("GIVEN a note missing why and to whom THEN the 3W check returns it with what is missing, and nothing is sent", async () => {
    await start();
    const refused = await r.say("/escalate T-1", {
      answers: ["billing", "functional", "", "", "Annuler la facture", "24h", "", "", "x", "", "", "", "", ""],
    });
    expect(refused.error).toBe("three_w_missing");
    const said = JSON.stringify(refused.blocks);
    expect(said).toContain("À qui (équipe + rôle)");
    expect(said).toContain("Pourquoi");
    expect(said).toContain("Prochain point");
    await dispatcher.flush();
    expect(out.sent).toEqual([]);
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual(["created"]);
  });

  it("GIVEN a complete note THEN it is posted with the seed's subject, followed up, acknowledged, questioned, decided by a manager only, announced once, all on the timeline", async () => {
    await start();
    const sent = await r.say("/escalate note T-1", { answers: NOTE });
    expect(sent.error).toBeUndefined();
    await dispatcher.flush();
    const [note] = out.to("escalades");
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
    await at("2026-11-25T09:59");
    expect(out.sent.filter((s) => s.threadOf)).toHaveLength(0);
    await at("2026-11-25T10:00");
    const noteId = out.sent[0]!.messageId;
    expect(out.sent.at(-1)).toMatchObject({ channel: "escalades", threadOf: noteId });
    expect(out.sent.at(-1)!.text).toContain(
      "Relance 1 : E-1 attend toujours la confirmation de prise en charge de Facturation N2",
    );
    await at("2026-11-26T10:00");
    expect(out.sent.at(-1)!.text).toContain("Deuxième silence : proposez une escalade hiérarchique");

    r.clock.set(paris("2026-11-26T10:30"));
    expect((await r.say("/escalate ack E-1 +2h", { actor: bob })).error).toBeUndefined();
    expect(
      (await r.say("/escalate info E-1 Quel est le numéro de prélèvement ?", { actor: bob })).error,
    ).toBeUndefined();
    expect((await r.say("/escalate answer E-1 PRLV-88213", { actor: alice })).error).toBeUndefined();
    const refused = await r.say("/escalate decide E-1 A", { actor: bob, answers: ["Annulation", "Bob"] });
    expect(refused.error).toBe("not_manager");
    const decided = await r.say("/escalate decide E-1 A", {
      actor: carol,
      answers: ["Double prélèvement prouvé", "Facturation N2"],
    });
    expect(decided.error).toBeUndefined();
    const again = await r.say("/escalate decide E-1 B", { actor: carol, answers: ["x", "y"] });
    expect(again.error).toBe("already_decided");
    expect((await r.say("/escalate announce E-1", { actor: bob })).error).toBe("not_owner");
    const announced = await r.say("/escalate announce E-1", { actor: alice });
    expect(JSON.stringify(announced.blocks)).toContain(
      "T-1 — Décision : A. Double prélèvement prouvé Facturation N2 est désormais votre référent.",
    );
    expect((await r.say("/escalate announce E-1", { actor: alice })).error).toBe("already_announced");
    await dispatcher.flush();
    const thread = out.sent.filter((s) => s.threadOf === noteId).map((s) => s.text);
    expect(thread.some((t) => t.includes("Bob prend en charge E-1"))).toBe(true);
    expect(thread.some((t) => t.includes("Bob demande à Alice : Quel est le numéro de prélèvement ?"))).toBe(true);
    expect(thread.some((t) => t.includes("PRLV-88213 (note complétée)"))).toBe(true);
    expect(thread.some((t) => t.includes("Carol tranche E-1 : option A"))).toBe(true);
    expect(out.to("U-alice").some((t) => t.includes("annoncez la décision une fois"))).toBe(true);
    expect(out.to("U-alice").some((t) => t.includes("Bob a besoin d’une information sur E-1"))).toBe(true);
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
    await r.say("/escalate T-1", { answers: NOTE });
    await r.say("/escalate ack E-1 15:00", { actor: bob });
    await at("2026-11-26T12:00");
    expect(out.sent.filter((s) => s.text.includes("Relance"))).toEqual([]);
  });

  it.each([
    ["/escalate T-9", "ticket_not_found"],
    ["/escalate ack E-9 15:00", "escalation_not_found"],
    ["/escalate ack E-1", "missing_argument"],
    ["/escalate decide E-1 A", "escalation_not_found"],
  ])("GIVEN %j THEN %s and nothing changes", async (line, code) => {
    await start();
    if (code === "missing_argument") await r.say("/escalate T-1", { answers: NOTE });
    expect((await r.say(line)).error).toBe(code);
  });

  it("GIVEN a closed ticket THEN escalating it is refused and nothing is sent", async () => {
    await start();
    await r.say("/ticket resolve T-1 fixed Avoir émis");
    await r.say("/ticket confirm T-1");
    expect((await r.say("/escalate T-1", { answers: NOTE })).error).toBe("illegal_transition");
    await dispatcher.flush();
    expect(out.sent).toEqual([]);
  });

  it("GIVEN an empty precise request THEN the note is refused", async () => {
    await start();
    const answers = [...NOTE];
    answers[4] = "";
    const refused = await r.say("/escalate T-1", { answers });
    expect(refused.error).toBe("three_w_missing");
    expect(JSON.stringify(refused.blocks)).toContain("Demande précise");
  });
});
