import { afterEach, describe, expect, it } from "vitest";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, withManagers, VPN_NOTE } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r?.close());

const dan = { id: "shell:dan", name: "dan" };

const NOTE = {
  ...VPN_NOTE,
  nextUpdate: "12:00",
  facts: "VPN coupé depuis 09:40",
  recommendation: "A : redémarrer le concentrateur ce soir ; B : basculer sur le lien de secours maintenant",
};

/** Alice owns T-1 and INC-1 (declared 10:00 to #support and #compta, linked to T-1). */
async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket VPN inaccessible au siège");
  await r.say("/outage declare", {
    form: {
      title: "VPN coupé",
      services: "VPN siège",
      impactText: "40 utilisateurs",
      impact: "élevé",
      urgency: "haute",
      workaround: "aucun contournement",
      channels: "#support, #compta",
    },
  });
  const t = await r.relais.services.tickets.get(1);
  // As `/outage declare T-1` will: the ticket is linked to the outage.
  await r.relais.store.tickets.update(
    1,
    { outageId: 1 },
    { at: r.clock.now(), actor: alice, kind: "updated", data: { stage: "diagnostic", nextAction: "Suivi sous INC-1" } },
    t.version,
  );
  await r.at("2026-11-24T10:05");
}

const channelPosts = () => ({ support: r.out.to("support"), compta: r.out.to("compta") });

describe("an escalation that carries the story", () => {
  it("GIVEN an escalation awaiting acknowledgement THEN the ticket says so, the outage's channels get one short line; the acknowledgement names the single contact", async () => {
    await start();
    expect((await r.say("/escalate T-1", { form: NOTE })).error).toBeUndefined();
    await r.at("2026-11-24T10:06");
    for (const posts of Object.values(channelPosts())) {
      expect(posts).toHaveLength(2); // the announcement, then the line
      expect(posts[1]).toBe(
        "ℹ️ INC-1 (T-1) — Une équipe spécialisée (Réseau N3) est impliquée. Prochain point inchangé : 11:00 (heure de Paris). Votre contact reste Alice.",
      );
    }
    const shown = await r.text("/ticket show T-1");
    expect(shown).toContain("escaladé à Réseau N3 (E-1), en attente de prise en charge");
    const followUp = await r.text("/ticket show T-1", { lang: "en" });
    expect(followUp).toContain("escalated to Réseau N3 (E-1), awaiting acknowledgement");

    // A second escalation of the same ticket adds no line: at most one.
    await r.say("/escalate T-1", { form: { ...NOTE, direction: "hierarchical", targetTeam: "DSI" } });
    await r.at("2026-11-24T10:07");
    expect(channelPosts().support).toHaveLength(2);

    const ack = await r.say("/escalate ack E-1 11:30", { actor: bob });
    expect(renderText(ack)).toContain(
      "Bob prend en charge E-1 ; retour promis à 11:30 (heure de Paris). Alice reste l’unique point de contact du demandeur jusqu’à une passation acceptée.",
    );
    await r.dispatcher.flush();
    expect(r.out.to("escalades").some((t) => t.includes("Alice reste l’unique point de contact"))).toBe(true);
    // E-1 taken over; E-2 still waits.
    expect(await r.text("/ticket show T-1")).toContain("escaladé à DSI (E-2), en attente de prise en charge");
    expect(await r.text("/ticket show T-1")).not.toContain("(E-1)");
  });

  it("GIVEN a Slack manager typing « @dan » in the decision's owner field THEN it is a name, not a user id: no handover to a made-up user", async () => {
    await start();
    const slackManager = { id: "slack:U0CAROL", name: "carol" };
    r.relais.services.policy.managers.users.push(slackManager.id);
    await r.say("/escalate T-1", { form: NOTE });
    await r.say("/escalate ack E-1 11:30", { actor: bob });
    const decided = await r.say("/escalate decide E-1 B", {
      actor: slackManager,
      form: { rationale: "Le lien de secours tient la charge", owner: "@dan" },
    });
    expect(decided.error).toBeUndefined();
    const t = await r.relais.services.tickets.get(1);
    expect([t.ownerName, t.pendingOwnerId]).toEqual(["Alice", undefined]);
    expect((await r.relais.services.escalations.get(1)).decisionOwner).toBe("@dan");
  });

  it("GIVEN a decision naming a new owner THEN the handover waits for acceptance, and the new owner announces once, in words, to each affected channel", async () => {
    await start();
    await r.say("/escalate T-1", { form: NOTE });
    await r.say("/escalate ack E-1 11:30", { actor: bob });
    // A bare letter the recommendation does not describe is refused, nothing changed.
    const unknown = await r.say("/escalate decide E-1 C", { actor: carol, form: { rationale: "x", owner: "@dan" } });
    expect(unknown.error).toBe("option_not_described");
    expect(renderText(unknown)).toContain("L’option C n’est pas décrite dans la recommandation de E-1");
    expect((await r.relais.services.escalations.get(1)).status).toBe("acknowledged");

    const decided = await r.say("/escalate decide E-1 B", {
      actor: carol,
      form: { rationale: "Le lien de secours tient la charge", owner: "@dan" },
    });
    expect(decided.error).toBeUndefined();
    expect(renderText(decided)).toContain(
      "Passation de T-1 proposée à dan : Alice reste responsable jusqu’à son acceptation.",
    );
    const t = await r.relais.services.tickets.get(1);
    expect([t.ownerName, t.pendingOwnerName]).toEqual(["Alice", "dan"]);
    await r.at("2026-11-24T10:10");
    expect(r.out.to("dan").some((m) => m.includes("vous propose"))).toBe(true);

    // Until dan accepts, Alice owns T-1: dan cannot announce; after acceptance Alice cannot.
    expect((await r.say("/escalate announce E-1", { actor: dan })).error).toBe("not_owner");
    expect((await r.say("/owner accept T-1", { actor: dan })).error).toBeUndefined();
    const refused = await r.say("/escalate announce E-1", { actor: alice });
    expect(refused.error).toBe("not_owner");
    expect(renderText(refused)).toContain("Seul dan, responsable de T-1");

    const announced = await r.say("/escalate announce E-1", { actor: dan });
    const text =
      "📣 T-1 — Décision : basculer sur le lien de secours maintenant. Le lien de secours tient la charge. dan est désormais votre référent. Prochain point : 11:00 (heure de Paris).";
    expect(renderText(announced)).toContain(text);
    expect((await r.say("/escalate announce E-1", { actor: dan })).error).toBe("already_announced");
    await r.at("2026-11-24T10:15");
    for (const posts of Object.values(channelPosts())) {
      expect(posts.filter((p) => p.includes("Décision"))).toEqual([text]);
    }
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind).slice(-5)).toEqual([
      "escalation_acknowledged",
      "decided",
      "handover_proposed",
      "handover_accepted",
      "decision_announced",
    ]);
  });
});
