import { afterEach, describe, expect, it } from "vitest";
import { isPreciseRequest } from "../../src/escalations/request.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, carol, withManagers, VPN_NOTE } from "../support/fixtures.ts";
import { FormFiller } from "../support/form.ts";
import { commands } from "../../commands/index.ts";
import { handleLine } from "../../src/kit/dispatch.ts";

/** Seed 003 "Posez une demande précise": a decision, an analysis or an action, in a few words. */
describe("a precise request", () => {
  it.each([
    "voir ticket",
    "regarder svp",
    "urgent",
    "URGENT !!!",
    "Merci de regarder le ticket rapidement",
    "please look at this ticket",
    "see ticket asap",
    "Annuler",
  ])("GIVEN %j THEN it is vague", (text) => {
    expect(isPreciseRequest(text)).toBe(false);
  });

  it.each([
    "Identifier la cause racine et confirmer un ETA de correctif",
    "Valider l’exception ou trancher entre A et B",
    "Annuler la facture F-114",
    "Décidez entre rembourser et émettre un avoir",
    "Identify the root cause and confirm a fix ETA",
    "Approve the exception for this customer",
    "RESTAURER LE SERVEUR FS-02",
  ])("GIVEN %j THEN it is precise", (text) => {
    expect(isPreciseRequest(text)).toBe(true);
  });
});

let r: OutboxRelais;
afterEach(() => r?.close());

// The request is what each test types.
const { request: _typed, ...withoutRequest } = VPN_NOTE;
const NOTE = { ...withoutRequest, nextUpdate: "11:30", facts: "VPN coupé depuis 09:40" };

async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket VPN inaccessible au siège");
}

describe("the escalation form refuses a vague request beside the field", () => {
  it("GIVEN « voir ticket » then a precise request (FR) THEN the field is asked again with the seed's example, then the note goes", async () => {
    await start();
    const filler = new FormFiller({ ...NOTE, request: ["voir ticket", "Identifier la cause racine des coupures"] });
    const sent = await handleLine("/escalate T-1", commands, r.relais.context(alice, "fr"), filler);
    filler.check();
    expect(sent.error).toBeUndefined();
    expect(filler.errors).toEqual([
      "« voir ticket » n’est pas une demande précise : dites ce que vous attendez du destinataire — une décision, une analyse ou une action — en quelques mots. Exemple : « Identifier la cause racine et confirmer un ETA de correctif » ou « Valider l’exception ou trancher entre A et B ».",
    ]);
    expect((await r.relais.services.escalations.get(1)).request).toBe("Identifier la cause racine des coupures");
  });

  it("GIVEN only vague requests (EN) THEN the form gives up with the message in English, and nothing changed", async () => {
    await start();
    const filler = new FormFiller({ ...NOTE, request: ["urgent", "please look", "see ticket"] });
    const refused = await handleLine("/escalate T-1", commands, r.relais.context(alice, "en"), filler);
    expect(refused.error).toBe("vague_request");
    expect(JSON.stringify(refused.blocks)).toContain(
      "“see ticket” is not a precise request: say what you expect from the receiver — a decision, an analysis or an action — in a few words. Example: “Identify the root cause and confirm an ETA for the fix”",
    );
    expect(filler.errors[0]).toContain("“urgent” is not a precise request");
    // Nothing changed: no escalation, no event, no post.
    await expect(r.relais.services.escalations.get(1)).rejects.toMatchObject({ code: "escalation_not_found" });
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual(["created"]);
    await r.dispatcher.flush();
    expect(r.out.sent).toEqual([]);
  });

  it("GIVEN a vague request through the service (no form) THEN it is refused the same way, nothing changed", async () => {
    await start();
    await expect(
      r.relais.services.escalations.escalate(alice, 1, {
        type: "technical",
        direction: "functional",
        urgency: "immediate",
        targetTeam: "Réseau N3",
        why: "Accès routeurs",
        facts: "VPN coupé",
        impact: "40 utilisateurs",
        request: "regarder svp",
        nextUpdate: r.clock.now().plus({ hours: 1 }),
      }),
    ).rejects.toMatchObject({ code: "vague_request" });
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual(["created"]);
    await r.dispatcher.flush();
    expect(r.out.sent).toEqual([]);
  });
});
