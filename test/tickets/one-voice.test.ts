import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, withManagers } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r.close());
/** Mentioned as @dan in the shell. */
const dan = { id: "shell:dan", name: "Dan" };

/** Carol is a manager; Alice owns T-1. */
async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket Messagerie inaccessible", { actor: alice });
}

describe("one voice", () => {
  it("GIVEN a non-owner's update THEN nothing is published; the owner gets a draft, publishes it once, and the timeline says who wrote it", async () => {
    await start();
    const drafted = await r.say("/ticket update T-1 diagnostic Redémarrer le connecteur Exchange", { actor: bob });
    expect(drafted.ephemeral).toBe(true);
    expect(drafted.ticketId).toBeUndefined(); // nothing for the ticket's thread or the requester
    expect(JSON.stringify(drafted.blocks)).toContain("Alice est responsable de T-1 et parle pour l’équipe");
    expect((await r.relais.services.tickets.get(1)).stage).toBeUndefined();
    await r.dispatcher.flush();
    expect(r.out.to("U-alice")[0]).toContain("Bob propose un point pour T-1 (D-1)");
    expect(r.out.to("U-alice")[0]).toContain("[Publier] [Modifier] [Refuser]");

    expect((await r.say("/ticket approve D-1", { actor: bob })).error).toBe("not_owner");
    const published = await r.say("/ticket approve D-1", { actor: alice });
    expect(published.error).toBeUndefined();
    expect(published.ticketId).toBe(1);
    expect((await r.say("/ticket approve D-1", { actor: alice })).error).toBe("draft_settled");
    const t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({
      stage: "diagnostic",
      nextAction: "Redémarrer le connecteur Exchange",
      lastAction: "rédigé par Bob",
    });
    const updated = (await r.relais.services.tickets.timeline(1)).filter((e) => e.kind === "updated");
    expect(updated).toHaveLength(1);
    expect(updated[0]!.actor.name).toBe("Alice");
  });

  it("GIVEN a rejected draft THEN its author is told and nothing changes", async () => {
    await start();
    await r.say("/ticket update T-1 diagnostic Tout réinstaller", { actor: bob });
    expect((await r.say("/ticket reject D-1 trop risqué en journée", { actor: alice })).error).toBeUndefined();
    await r.dispatcher.flush();
    expect(r.out.to("U-bob")[0]).toContain(
      "Votre brouillon D-1 pour T-1 n’a pas été publié par Alice (trop risqué en journée)",
    );
    expect((await r.relais.services.tickets.get(1)).stage).toBeUndefined();
  });

  it("GIVEN a handover not yet accepted THEN the previous owner stays answerable; once accepted, the new owner speaks", async () => {
    await start();
    const proposed = await r.say("/owner T-1 @bob", { actor: alice });
    expect(JSON.stringify(proposed.blocks)).toContain("Alice reste responsable jusqu’à son acceptation");
    let t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ ownerName: "Alice", pendingOwnerName: "bob" });
    await r.dispatcher.flush();
    expect(r.out.to("bob")[0]).toContain("Alice vous propose de devenir responsable de T-1");
    // Until acceptance, Bob's update is still a draft for Alice.
    expect(
      JSON.stringify(
        (await r.say("/ticket update T-1 diagnostic Tester", { actor: { id: "shell:bob", name: "bob" } })).blocks,
      ),
    ).toContain("Alice est responsable");
    expect((await r.say("/owner accept T-1", { actor: dan })).error).toBe("no_handover");
    expect((await r.say("/owner accept T-1", { actor: { id: "shell:bob", name: "bob" } })).error).toBeUndefined();
    t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ ownerId: "shell:bob", ownerName: "bob" });
    expect(t.pendingOwnerId).toBeUndefined();
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual([
      "created",
      "handover_proposed",
      "handover_accepted",
    ]);
  });

  it("GIVEN a manager with a reason THEN ownership is reassigned at once, with the reason on the timeline; others cannot reassign", async () => {
    await start();
    expect((await r.say("/owner T-1 @dan", { actor: dan })).error).toBe("not_owner");
    const done = await r.say("/owner T-1 @dan absence d'Alice cette semaine", { actor: carol });
    expect(JSON.stringify(done.blocks)).toContain("T-1 réattribué à dan par Carol");
    expect((await r.relais.services.tickets.get(1)).ownerId).toBe("shell:dan");
    const last = (await r.relais.services.tickets.timeline(1)).at(-1)!;
    expect(last).toMatchObject({
      kind: "reassigned",
      reason: "absence d'Alice cette semaine",
      actor: { name: "Carol" },
    });
  });
});

describe("editing a draft", () => {
  it("GIVEN the owner edits a colleague's draft THEN the form is filled in with it, and the corrected version is published once", async () => {
    await start();
    await r.say("/ticket update T-1 diagnostic Redémarrer le serveur", { actor: bob });
    await r.dispatcher.flush();
    expect(r.out.to("U-alice")[0]).toContain("[Publier] [Modifier] [Refuser]");
    // stage: Enter keeps "diagnostic"; next action corrected; the rest left as proposed.
    const edited = await r.say("/ticket edit D-1", {
      actor: alice,
      form: { nextAction: "Redémarrer le connecteur seulement" },
    });
    expect(edited.error).toBeUndefined();
    const t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({
      stage: "diagnostic",
      nextAction: "Redémarrer le connecteur seulement",
      lastAction: "d’après un brouillon de Bob",
    });
    expect((await r.say("/ticket approve D-1", { actor: alice })).error).toBe("draft_settled");
    expect((await r.say("/ticket edit D-1", { actor: alice, form: {} })).error).toBe("draft_settled");
  });
});

describe("outage handover", () => {
  it("GIVEN /owner INC-1 @bob THEN Alice stays owner until Bob accepts; then only Bob's updates go out", async () => {
    await start();
    await r.say("/outage declare", {
      actor: alice,
      form: {
        title: "VPN coupé",
        services: "VPN",
        impactText: "télétravail",
        impact: "élevé",
        urgency: "haute",
        workaround: "aucun contournement",
        channels: "#support",
      },
    });
    const proposed = await r.say("/owner INC-1 @bob", { actor: alice });
    expect(JSON.stringify(proposed.blocks)).toContain("Passation de INC-1 proposée à bob. Alice reste responsable");
    expect((await r.relais.services.outages.get(1)).ownerName).toBe("Alice");
    await r.dispatcher.flush();
    expect(r.out.to("bob").at(-1)).toContain("[Accepter]");
    const bobActor = { id: "shell:bob", name: "bob" };
    expect((await r.say("/owner accept INC-1", { actor: bobActor })).error).toBeUndefined();
    expect((await r.relais.services.outages.get(1)).ownerId).toBe("shell:bob");
    expect(
      JSON.stringify((await r.say("/outage update INC-1 diagnostic Relancer", { actor: alice })).blocks),
    ).toContain("bob est responsable de INC-1");
    expect((await r.say("/owner X-1 @bob", { actor: alice })).error).toBe("invalid_reference");
  });
});
