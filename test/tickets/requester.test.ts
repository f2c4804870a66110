import { afterEach, describe, expect, it } from "vitest";
import type { Policy } from "../../src/config/policy.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { RecordingSender } from "../support/recording-sender.ts";
import { alice, bob, carol, defaultPolicy, paris, withManagers } from "../support/fixtures.ts";

/** PRODUCT "One story": the requester is a person Relais can reach (seed 000 §II.A ⑤–⑥). */

let r: OutboxRelais;
afterEach(() => r.close());

async function start(policy?: Policy) {
  r = await startRelaisWithOutbox({ now: paris("2026-11-24T10:00"), ...(policy ? { policy } : {}) });
}

const P2 = { impact: "medium", urgency: "medium", workaround: "partial" } as const;

/** Everything stored about the tickets: a refused command must leave it identical. */
async function snapshot() {
  const { tickets } = await r.relais.services.tickets.list(alice, "all", 1000);
  const timelines = await Promise.all(tickets.map((t) => r.relais.store.tickets.timeline(t.id)));
  return JSON.stringify({ tickets, timelines });
}

describe("the requester as a person", () => {
  it("GIVEN @ana as requester THEN she is stored as a chat user and privately gets the acknowledgement: her name, her words, the priority and why, the deadline with its zone", async () => {
    await start();
    const reply = await r.text("/ticket", {
      form: { title: "Excel ne s’ouvre plus depuis ce matin", requester: "@ana", ...P2 },
    });
    const t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ requester: "ana", requesterId: "shell:ana" });
    // The technician sees the same reason in the channel, and that the requester was told.
    expect(reply).toContain("Priorité P2 (impact moyen");
    expect(reply).toContain("📨 Accusé de réception envoyé à ana en message privé.");
    await r.at("2026-11-24T10:00");
    expect(r.out.to("ana")).toEqual([
      "Bonjour ana, votre demande est enregistrée sous la référence T-1 : « Excel ne s’ouvre plus depuis ce matin ». Priorité P2 (impact moyen, urgence moyenne, contournement partiel). Première réponse au plus tard 12:00 (heure de Paris).",
    ]);
  });

  it("GIVEN a one-line ticket for a requester later THEN the default priority's reason is stated, and English follows the policy's language", async () => {
    await start({ ...defaultPolicy(), language: "en" });
    await r.say("/ticket", { lang: "en", form: { title: "Printer jammed", requester: "@ana" } });
    await r.at("2026-11-24T10:00");
    expect(r.out.to("ana")).toEqual([
      "Hello ana, your request is recorded as T-1: “Printer jammed”. Priority P3 (default, to be assessed). First response by 18:00 (Paris time).",
    ]);
  });

  it("GIVEN a caller with no chat account THEN the plain name is kept as a name and nobody is messaged", async () => {
    await start();
    await r.say("/ticket", { form: { title: "Écran noir", requester: "Marie  Dupont" } });
    const t = await r.relais.services.tickets.get(1);
    expect(t.requester).toBe("Marie Dupont");
    expect(t.requesterId).toBeUndefined();
    await r.at("2026-11-24T10:01");
    expect(r.out.sent).toEqual([]);
  });

  it.each([
    ["fr", "« <#C123> » n’est ni une personne ni un nom pour Demandeur (personne ou nom)"],
    ["en", "“<#C123>” is neither a person nor a name for Requester (person or name)"],
  ] as const)(
    "GIVEN a requester that is neither a mention nor a name THEN it is refused (%s) and nothing changes",
    async (lang, message) => {
      await start();
      const before = await snapshot();
      const bad = ["<#C123>", "<#C123>", "<#C123>"];
      const reply = await r.say("/ticket", { lang, form: { title: "Écran noir", requester: bad } });
      expect(reply.error).toBe("invalid_person");
      expect(JSON.stringify(reply.blocks)).toContain(message);
      expect(await snapshot()).toBe(before);
    },
  );

  it("GIVEN the resolution THEN the requester privately gets the result, what was done, the reference, the questions of seed 000 ⑤–⑥, the auto-close date and how to reopen; then the auto-close notice", async () => {
    await start();
    await r.say("/ticket", { form: { title: "Excel ne s’ouvre plus", requester: "@ana" } });
    await r.say("/ticket resolve T-1 fixed Réparation d’Office et cache vidé");
    await r.at("2026-11-24T10:05");
    expect(r.out.to("ana").slice(1)).toEqual([
      "Bonjour ana, votre demande T-1 est traitée — résultat : résolu. Ce qui a été fait : Réparation d’Office et cache vidé. Est-ce que cela fonctionne pour vous ? Si oui : /ticket confirmer T-1. Y a-t-il autre chose que nous puissions faire pour vous ? Sans réponse, le ticket sera clos automatiquement ven. 27 nov. 10:00 (heure de Paris) ; pour le rouvrir : /ticket rouvrir T-1.",
    ]);
    await r.at("2026-11-27T10:00");
    expect(r.out.to("ana").slice(2)).toEqual([
      "Bonjour ana, votre demande T-1 a été close automatiquement, sans réponse de votre part 72 h après sa résolution. Si le problème revient : /ticket rouvrir T-1. Référence à conserver : T-1.",
    ]);
  });

  it("GIVEN the resolution in English with no note THEN the summary restates the problem", async () => {
    await start({ ...defaultPolicy(), language: "en" });
    await r.say("/ticket", { lang: "en", form: { title: "Printer jammed", requester: "@ana" } });
    await r.say("/ticket resolve T-1 workaround", { lang: "en" });
    await r.at("2026-11-24T10:05");
    expect(r.out.to("ana")[1]).toBe(
      "Hello ana, your request T-1 has been handled — result: worked around. What was done: “Printer jammed” is handled. Does it work for you? If so: /ticket confirm T-1. Is there anything else we can do for you? Without an answer the ticket closes automatically Fri 27 Nov 10:00 (Paris time); to reopen it: /ticket reopen T-1.",
    );
  });

  it("GIVEN an SLA deadline near THEN the owner is warned and the requester never is", async () => {
    await start();
    await r.say("/ticket", { actor: bob, form: { title: "ERP lent", requester: "@ana", ...P2 } });
    await r.at("2026-11-24T11:30");
    expect(r.out.to("U-bob")).toEqual([
      "⚠️ T-1 : première réponse due à 12:00 (heure de Paris). Un point maintenant évite le dépassement.",
    ]);
    expect(r.out.to("ana")).toHaveLength(1); // the acknowledgement only
  });

  it("GIVEN an unowned ticket with a card THEN its warning goes to the helpdesk channel (the card's), not to the requester", async () => {
    await start();
    await r.say("/ticket", { actor: bob, form: { title: "ERP lent", requester: "@ana", ...P2 } });
    const t = await r.relais.services.tickets.get(1);
    await r.relais.store.tickets.update(
      1,
      { ownerId: null, ownerName: null },
      { at: r.clock.now(), actor: bob, kind: "updated", data: {} },
      t.version,
    );
    await r.relais.store.threads.save(1, "slack", { channel: "C-HELPDESK" });
    const slack = new RecordingSender();
    // The helpers' dispatcher knows only the shell: this one sends Slack's posts too.
    r.clock.set(paris("2026-11-24T11:30"));
    await r.relais.scheduler.tick();
    await r.relais.dispatcher({ slack, shell: r.out }).flush();
    expect(slack.to("C-HELPDESK")).toEqual([
      "⚠️ T-1 n’a pas de responsable : première réponse due 12:00 (heure de Paris). /ticket prendre T-1",
    ]);
    expect(r.out.to("U-bob")).toEqual([]);
    expect(r.out.to("ana")).toHaveLength(1);
  });
});

describe("/ticket confirm: the requester, the owner or a manager", () => {
  it("GIVEN the requester THEN the ticket closes and the timeline says who confirmed, as what", async () => {
    await start();
    await r.say("/ticket", { form: { title: "Excel", requester: "@ana" } });
    await r.say("/ticket resolve T-1 fixed Cache vidé");
    const reply = await r.text("/ticket confirm T-1", { actor: { id: "shell:ana", name: "ana" } });
    expect(reply).toContain("🔒 T-1 clos : résolution confirmée par ana.");
    const last = (await r.relais.services.tickets.timeline(1)).at(-1)!;
    expect(last).toMatchObject({ kind: "confirmed", actor: { id: "shell:ana" }, data: { as: "requester" } });
    expect((await r.relais.services.tickets.get(1)).status).toBe("closed");
  });

  it("GIVEN the owner (a caller confirming on the phone) or a manager THEN they may confirm", async () => {
    await start(withManagers(carol.id));
    await r.say("/ticket", { form: { title: "Excel", requester: "Marie Dupont" } });
    await r.say("/ticket", { form: { title: "Word", requester: "@ana" } });
    await r.say("/ticket resolve T-1 fixed Cache vidé");
    await r.say("/ticket resolve T-2 fixed Réinstallé");
    await r.say("/ticket confirm T-1");
    await r.say("/ticket confirm T-2", { actor: carol });
    expect((await r.relais.services.tickets.timeline(1)).at(-1)).toMatchObject({
      actor: { id: alice.id },
      data: { as: "owner" },
    });
    expect((await r.relais.services.tickets.timeline(2)).at(-1)).toMatchObject({
      actor: { id: carol.id },
      data: { as: "manager" },
    });
  });

  it.each([
    [
      "fr",
      "Seuls le demandeur (ana), le responsable (Alice) ou un manager peuvent confirmer la résolution de T-1. Rien n’a été modifié.",
    ],
    [
      "en",
      "Only the requester (ana), the owner (Alice) or a manager may confirm the resolution of T-1. Nothing was changed.",
    ],
  ] as const)(
    "GIVEN someone else THEN the confirmation is refused naming who may (%s), and nothing changes",
    async (lang, message) => {
      await start();
      await r.say("/ticket", { form: { title: "Excel", requester: "@ana" } });
      await r.say("/ticket resolve T-1 fixed Cache vidé");
      const before = await snapshot();
      const reply = await r.say("/ticket confirm T-1", { actor: bob, lang });
      expect(reply.error).toBe("confirm_not_allowed");
      expect(JSON.stringify(reply.blocks)).toContain(message);
      expect(await snapshot()).toBe(before);
    },
  );
});
