import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { Param } from "../../src/kit/command.ts";
import { handleLine } from "../../src/kit/dispatch.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, withManagers } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r.close());

/** Carol is a manager; Alice owns T-1. */
async function start() {
  r = await startRelaisWithOutbox({ policy: withManagers(carol.id) });
  await r.say("/ticket Messagerie inaccessible", { actor: alice });
}

const kinds = async () => (await r.relais.services.tickets.timeline(1)).map((e) => e.kind);

describe("who may act on a ticket (PRODUCT Authority, src/authority.ts)", () => {
  it("GIVEN Bob takes Alice's ticket THEN Alice is asked privately, Alice stays the owner, and a pending handover is not undone", async () => {
    await start();
    await r.say("/owner T-1 @dan", { actor: alice });
    const before = await kinds();
    const asked = await r.say("/ticket take T-1", { actor: bob });
    expect(asked.error).toBeUndefined();
    expect(renderText(asked)).toContain("T-1 appartient à Alice : votre demande de reprise lui a été envoyée");
    const t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ ownerId: alice.id, pendingOwnerName: "dan" });
    expect(await kinds()).toEqual(before);
    await r.dispatcher.flush();
    expect(r.out.to(alice.id).at(-1)).toContain("Bob demande à prendre T-1 (Messagerie inaccessible)");
    expect(r.out.to(alice.id).at(-1)).toContain("/owner T-1 @Bob");
  });

  it("GIVEN a manager takes with a reason THEN it moves at once, recorded as a reassignment with the reason, and the pending handover ends", async () => {
    await start();
    await r.say("/owner T-1 @dan", { actor: alice });
    const taken = await r.say("/ticket take T-1 Alice en congé, relève de nuit", { actor: carol });
    expect(taken.error).toBeUndefined();
    const t = await r.relais.services.tickets.get(1);
    expect(t.ownerName).toBe("Carol");
    expect(t.pendingOwnerId).toBeUndefined();
    const last = (await r.relais.services.tickets.timeline(1)).at(-1)!;
    expect(last).toMatchObject({ kind: "reassigned", reason: "Alice en congé, relève de nuit" });
    expect(last.data).toMatchObject({ from: "Alice", to: "Carol" });
  });

  it("GIVEN a manager resolves Alice's ticket with a note THEN the timeline records the override and over whom", async () => {
    await start();
    expect((await r.say("/ticket resolve T-1 fixed Connecteur réinstallé", { actor: carol })).error).toBeUndefined();
    const resolved = (await r.relais.services.tickets.timeline(1)).at(-1)!;
    expect(resolved.kind).toBe("resolved");
    expect(resolved.data.override).toEqual({ as: "manager", over: "Alice" });
  });

  it.each([
    [
      "fr",
      "Seul Alice, responsable de T-1, ou un manager qui en donne la raison, peut le résoudre. Rien n’a été changé.",
    ],
    ["en", "Only Alice, owner of T-1, or a manager giving the reason, may resolve it. Nothing was changed."],
  ] as const)(
    "GIVEN Bob resolves Alice's ticket (%s) THEN the refusal names the owner and who may, in his language",
    async (lang, text) => {
      await start();
      const refused = await r.say("/ticket resolve T-1 fixed Redémarrage", { actor: bob, lang });
      expect(refused.error).toBe("owner_only");
      expect(renderText(refused)).toContain(text);
      expect((await r.relais.services.tickets.get(1)).status).toBe("new");
    },
  );

  it("GIVEN a manager without a reason THEN they are told to give one, in their language", async () => {
    await start();
    const refused = await r.say("/ticket close T-1", { actor: carol, lang: "en" });
    // The lifecycle speaks first (a new ticket is not closed)…
    expect(refused.error).toBe("illegal_transition");
    await r.say("/ticket resolve T-1 fixed Redémarrage", { actor: alice });
    const noReason = await r.say("/ticket close T-1", { actor: carol, lang: "en" });
    expect(noReason.error).toBe("manager_reason_required");
    expect(renderText(noReason)).toContain("Manager: to close it in place of Alice, owner of T-1, give the reason");
  });

  it("GIVEN Bob opens the resolve form on Alice's ticket THEN the refusal comes before the form", async () => {
    await start();
    const asked: string[] = [];
    const asker = { ask: async (p: Param) => void asked.push(p.id), onError: () => {} };
    const refused = await handleLine("/ticket resolve T-1", commands, r.relais.context(bob, "fr"), asker);
    expect(refused.error).toBe("owner_only");
    expect(asked).toEqual([]);
  });
});
