import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, carol, paris, TUESDAY_10, withManagers } from "../support/fixtures.ts";

/** The seams the shell story hit (issue 12), each as its own rule. */

let r: OutboxRelais;
afterEach(() => r?.close());

const DECLARE = {
  services: "Exchange",
  impactText: "tout le siège",
  impact: "élevé",
  urgency: "haute",
  workaround: "aucun contournement",
  channels: "#support",
};
const erin = { id: "shell:erin", name: "erin" };

/** T-1 (requester @dan) with T-2 (requester @leo) under it; INC-1 declared from T-1 by Alice at 10:10. */
async function start() {
  r = await startRelaisWithOutbox({ now: paris(TUESDAY_10), policy: withManagers(carol.id) });
  await r.say("/ticket", { form: { title: "Messagerie indisponible", requester: "@dan" } });
  await r.say("/ticket", { form: { title: "Outlook muet", requester: "@leo" } });
  await r.say("/ticket lier T-2 T-1");
  await r.at("2026-11-24T10:10");
  await r.say("/outage declare T-1", { form: DECLARE });
  await r.dispatcher.flush();
}

describe("the requesters of linked tickets hear the outage from its announcement to its restoration", () => {
  it("GIVEN an outage declared from a ticket THEN each linked requester gets the announcement and the restoration privately, once", async () => {
    await start();
    await r.at("2026-11-24T10:40");
    await r.say("/outage resolve INC-1", { form: { whatHappened: "Disque saturé", result: "Rétabli" } });
    await r.dispatcher.flush();
    for (const who of ["dan", "leo"]) {
      const got = r.out.to(who).slice(1); // after the acknowledgement of their ticket
      expect(got).toHaveLength(2);
      expect(got[0]).toContain("🚨 INC-1");
      expect(got[1]).toContain("✅ INC-1");
    }
  });
});

describe("a ticket answered by the outage announcement", () => {
  it("GIVEN new tickets THEN the announcement meets their first response and they are acknowledged, no longer new", async () => {
    await start();
    for (const id of [1, 2]) {
      const t = await r.relais.services.tickets.get(id);
      expect(t.status).toBe("acknowledged");
      expect(t.firstResponseAt?.toMillis()).toBe(paris("2026-11-24T10:10").toMillis());
    }
  });
});

describe("one voice across a ticket and the outage declared from it", () => {
  it("GIVEN the ticket's handover accepted THEN the outage follows to the new owner, who alone may post", async () => {
    await start();
    await r.say("/owner T-1 @erin");
    expect((await r.relais.services.outages.get(1)).ownerName).toBe("Alice"); // pending: nothing moves
    await r.say("/owner accept T-1", { actor: erin });
    expect((await r.relais.services.outages.get(1)).ownerName).toBe("erin");
    // Alice's update is now a draft for erin; erin's goes out.
    expect((await r.say("/outage update INC-1 diagnostic lire les journaux")).error).toBeUndefined();
    expect((await r.relais.services.outages.get(1)).stage).toBeUndefined();
    expect((await r.say("/outage update INC-1 diagnostic lire les journaux", { actor: erin })).error).toBeUndefined();
    expect((await r.relais.services.outages.get(1)).stage).toBe("diagnostic");
  });

  it("GIVEN a manager's reassignment of the ticket THEN the outage follows", async () => {
    await start();
    await r.say("/owner T-1 @erin relève d’équipe à 14h", { actor: carol });
    expect((await r.relais.services.outages.get(1)).ownerName).toBe("erin");
  });

  it("GIVEN an outage someone else owns THEN the ticket's handover leaves it alone", async () => {
    await start();
    await r.say("/owner INC-1 @bob");
    await r.say("/owner accept INC-1", { actor: { id: "shell:bob", name: "bob" } });
    await r.say("/owner T-1 @erin");
    await r.say("/owner accept T-1", { actor: erin });
    expect((await r.relais.services.outages.get(1)).ownerName).toBe("bob");
  });
});

describe("who stays responsible during a handover", () => {
  it("GIVEN a manager proposes a new owner THEN the proposal says the current owner stays responsible, in French and English", async () => {
    await start();
    await r.say("/owner T-1 @erin", { actor: carol });
    await r.dispatcher.flush();
    expect(r.out.to("erin")).toEqual([
      "🤝 Carol vous propose de devenir responsable de T-1 (Messagerie indisponible). Tant que vous n’avez pas accepté, Alice reste responsable.\n  [Accepter]",
    ]);
    const en = r.relais.context(alice, "en").texts;
    expect(en.t("voice.handover_to_you", { who: "Carol", owner: "Alice", ref: "T-1", title: "x" })).toContain(
      "Until you accept, Alice remains the owner.",
    );
  });
});

describe("an escalation of the outage's ticket keeps the outage's time", () => {
  const NOTE = {
    type: "technical",
    direction: "functional",
    targetTeam: "Stockage N3",
    why: "Seul le N3 accède à la baie",
    request: "Remplacer le disque défaillant et confirmer l’heure de retour",
    urgency: "immediate",
    impact: "200 utilisateurs",
  };

  it("GIVEN no next update typed THEN the note takes the outage's promised one; without an outage it is still required", async () => {
    await start();
    expect((await r.say("/escalate T-1", { form: NOTE })).error).toBeUndefined();
    expect((await r.relais.services.escalations.get(1)).nextUpdateAt.toMillis()).toBe(
      paris("2026-11-24T11:10").toMillis(),
    );
    await r.say("/ticket Imprimante HS"); // T-3, no outage
    const refused = await r.say("/escalate T-3", { form: { ...NOTE, facts: "Bourrage papier depuis 9h" } });
    expect(refused.error).toBe("three_w_missing");
    expect(JSON.stringify(refused.blocks)).toContain("il manque Prochain point");
  });
});
