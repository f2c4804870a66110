import { afterEach, describe, expect, it } from "vitest";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, withManagers } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r?.close());

const NOTE = {
  type: "billing",
  direction: "functional",
  targetTeam: "Facturation N2",
  why: "Seule la facturation peut annuler une facture",
  request: "Annuler la facture F-2026-114",
  urgency: "24h",
  nextUpdate: "16:00",
  facts: "Client débité deux fois",
  impact: "1 client",
};

/** Alice owns T-1 and wrote E-1; what was recorded and posted so far. */
async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket Facture en double");
  expect((await r.say("/escalate T-1", { form: NOTE })).error).toBeUndefined();
  await r.dispatcher.flush();
}

async function snapshot() {
  await r.dispatcher.flush();
  return {
    escalation: await r.relais.services.escalations.get(1),
    timeline: (await r.relais.services.tickets.timeline(1)).map((e) => e.kind),
    posts: r.out.sent.length,
  };
}

describe("who may act on an escalation (PRODUCT Authority)", () => {
  it.each([
    ["/escalate ack E-1 15:00", "fr", "E-1 est votre propre escalade : c’est l’équipe qui la reçoit (Facturation N2)"],
    ["/escalate info E-1 Quel montant ?", "fr", "E-1 est votre propre escalade"],
    ["/escalate ack E-1 15:00", "en", "E-1 is your own escalation: the receiving team (Facturation N2) takes it over"],
  ] as const)(
    "GIVEN the author types %j (%s) THEN it is refused, naming who may, and nothing changed",
    async (line, lang, message) => {
      await start();
      const before = await snapshot();
      const refused = await r.say(line, { actor: alice, lang });
      expect(refused.error).toBe("own_escalation");
      expect(renderText(refused)).toContain(message);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("GIVEN the author clicks Take it over THEN the refusal comes before any form", async () => {
    await start();
    const refused = await r.say("/escalate ack E-1", { actor: alice, form: { eta: "15:00" } });
    expect(refused.error).toBe("own_escalation");
  });

  it("GIVEN someone else than the ticket's owner answers an information request THEN it is refused with the owner's name, nothing changed; the owner's answer goes", async () => {
    await start();
    expect(
      (await r.say("/escalate info E-1 Quel est le numéro de prélèvement ?", { actor: bob })).error,
    ).toBeUndefined();
    const before = await snapshot();
    const refused = await r.say("/escalate answer E-1 PRLV-1", { actor: carol });
    expect(refused.error).toBe("not_ticket_owner");
    expect(renderText(refused)).toContain(
      "Seul Alice, responsable de T-1, répond aux demandes d’information sur E-1 (une seule voix). Rien n’a été changé.",
    );
    expect(await snapshot()).toEqual(before);
    expect((await r.say("/escalate answer E-1 PRLV-1", { actor: alice })).error).toBeUndefined();
  });
});
