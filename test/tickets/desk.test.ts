import { afterEach, describe, expect, it } from "vitest";
import { texts } from "../../src/i18n/index.ts";
import { readDesk, deskReply, type DeskPerson } from "../../src/tickets/desk.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice, bob, BILLING_NOTE, carol, P1_OUTAGE_FORM, withManagers } from "../support/fixtures.ts";

let r: TestRelais;
afterEach(() => r.close());
/** Mentioned as @dan in the shell. */
const dan = { id: "shell:dan", name: "Dan" };

const desk = (person: DeskPerson, limit?: number) => readDesk({ ...r.relais.store, clock: r.clock }, person, limit);
const shown = async (person: DeskPerson, lang: "fr" | "en" = "fr", limit?: number) => {
  const reply = deskReply(texts(lang, "Europe/Paris", r.clock), await desk(person, limit), r.relais.services.sla);
  return JSON.stringify(reply.blocks);
};

/**
 * Alice owns T-1..T-3 and a P1 outage; Bob drafted an update on T-1; T-2 and the outage are proposed
 * to Dan; T-3 is escalated and Bob asked a question on it. Carol is a manager; T-4 is resolved.
 */
async function story() {
  r = await startRelais({ policy: withManagers(carol.id) });
  for (const title of ["Messagerie inaccessible", "Imprimante HS", "Facture en double", "Souris sans fil"])
    expect((await r.say(`/ticket ${title}`, { actor: alice })).error).toBeUndefined();
  expect((await r.say("/ticket resolve T-4 fixed doublon", { actor: alice })).error).toBeUndefined();
  expect((await r.say("/ticket update T-1 diagnostic Redémarrer le connecteur", { actor: bob })).error).toBeUndefined();
  expect((await r.say("/owner T-2 @dan", { actor: alice })).error).toBeUndefined();
  expect((await r.say("/escalate T-3", { actor: alice, form: BILLING_NOTE })).error).toBeUndefined();
  expect((await r.say("/escalate info E-1 Quel montant exact ?", { actor: bob })).error).toBeUndefined();
  expect((await r.say("/outage declare", { actor: alice, form: P1_OUTAGE_FORM })).error).toBeUndefined();
  expect((await r.say("/owner INC-1 @dan", { actor: alice })).error).toBeUndefined();
}

describe("a person's desk", () => {
  it("GIVEN the story THEN each person's desk holds what is theirs to do, and nothing closed", async () => {
    await story();
    const a = await desk({ id: alice.id, manager: false });
    expect(a.tickets.items.map((t) => t.id)).toEqual([1, 2, 3]);
    expect(a.tickets.total).toBe(3);
    expect(a.drafts.items).toMatchObject([{ id: 1, subject: "T-1", authorName: "Bob" }]);
    expect(a.questions.items).toMatchObject([{ id: 1, ticketId: 3, status: "info_requested" }]);
    expect(a.decisions.total).toBe(0); // not a manager
    expect(a.outages.items.map((o) => o.id)).toEqual([1]);

    const d = await desk({ id: dan.id, manager: false });
    expect(d.handovers.items).toEqual([
      { subject: "INC-1", title: "Messagerie indisponible", ownerName: "Alice" },
      { subject: "T-2", title: "Imprimante HS", ownerName: "Alice" },
    ]);
    expect(d.tickets.total).toBe(0);

    const c = await desk({ id: carol.id, manager: true });
    expect(c.decisions.items).toMatchObject([{ id: 1, ticketId: 3, targetTeam: "Facturation N2" }]);
    expect(c.questions.total).toBe(0);
    expect((await desk({ id: bob.id, manager: false })).drafts.total).toBe(0);
  });

  it("GIVEN a limit THEN each part lists that many and counts the rest, in French and English", async () => {
    await story();
    const page = await desk({ id: alice.id, manager: false }, 1);
    expect(page.tickets.items).toHaveLength(1);
    expect(page.tickets.total).toBe(3);
    const fr = await shown({ id: alice.id, manager: false }, "fr", 1);
    expect(fr).toContain("Mes tickets ouverts : 3");
    expect(fr).toContain("… et 2 de plus.");
    expect(fr.match(/heure de Paris/g)).toHaveLength(1); // the zone stated once, at the first time
    expect(fr).toContain("D-1 pour T-1, de Bob (10:00) : /ticket publier D-1");
    expect(fr).toContain("E-1 (T-3) : Facturation N2 vous pose une question");
    const en = await shown({ id: dan.id, manager: false }, "en");
    expect(en).toContain("Handovers to accept: 2");
    expect(en).toContain("T-2 · Imprimante HS — Alice stays the owner until you accept: /owner accept T-2");
    expect(en).toContain("No draft awaits you.");
  });

  it("GIVEN the handover accepted, the draft published and the question answered THEN they leave the desks", async () => {
    await story();
    expect((await r.say("/owner accept T-2", { actor: dan })).error).toBeUndefined();
    expect((await r.say("/ticket approve D-1", { actor: alice })).error).toBeUndefined();
    expect((await r.say("/escalate answer E-1 1 240 €", { actor: alice })).error).toBeUndefined();
    const a = await desk({ id: alice.id, manager: false });
    expect(a.tickets.items.map((t) => t.id)).toEqual([1, 3]);
    expect(a.drafts.total).toBe(0);
    expect(a.questions.total).toBe(0);
    const d = await desk({ id: dan.id, manager: false });
    expect(d.handovers.items.map((h) => h.subject)).toEqual(["INC-1"]);
    expect(d.tickets.items.map((t) => t.id)).toEqual([2]);
    // Still undecided: the manager keeps it until a decision.
    expect((await desk({ id: carol.id, manager: true })).decisions.total).toBe(1);
  });
});
