import { afterEach, describe, expect, it } from "vitest";
import { renderText } from "../../src/surfaces/shell/render.ts";
import type { Actor } from "../../src/timeline/events.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import type { Policy } from "../../src/config/policy.ts";
import { alice, bob, carol, iso, P1_OUTAGE_FORM, paris, TUESDAY_10, withManagers } from "../support/fixtures.ts";

/**
 * Follow-up actions after an outage (issue 17, seeds 001/002 "Suivi (ticket enfant, monitoring,
 * prochaine vérification)"): `/outage suivi INC-<n> <action> @owner <due>` makes a real ticket with
 * an owner and a due date, linked to the outage; its owner is reminded before the due date unless
 * it is done, told with the outage's owner when it passes, and the report lists each with its state.
 * Through the real services, on a SQLite file (and PostgreSQL in the postgres project).
 */

let r: OutboxRelais;
afterEach(() => r.close());

/** Bob as the shell names him in `@bob`: the follow-ups' owner. */
const bobShell: Actor = { id: "shell:bob", name: "bob" };

async function outage(policy?: Policy) {
  r = await startRelaisWithOutbox({ now: paris(TUESDAY_10), ...(policy ? { policy } : {}) });
  const declared = await r.say("/outage declare", { form: P1_OUTAGE_FORM });
  expect(declared.error).toBeUndefined();
  await r.dispatcher.flush();
}

/** What the store holds: tickets, pending jobs, unsent posts, and the outage as recorded. */
async function snapshot() {
  const store = r.relais.store;
  const o = await store.outages.get(1);
  return {
    tickets: await store.tickets.count({
      statuses: ["new", "acknowledged", "in_progress", "waiting", "resolved", "closed"],
    }),
    jobs: await store.jobs.countPending(),
    unsent: await store.outbox.countUnsent(),
    outage: { status: o?.status, version: o?.version, events: (await store.outages.timeline(1)).length },
  };
}

describe("an outage's follow-up actions", () => {
  it("GIVEN /outage suivi with an action, an owner and a due date THEN a P3 ticket owned by them, linked to the outage, due then, and the owner told privately", async () => {
    await outage();
    const reply = await r.say("/outage suivi INC-1 Ajouter une alerte disque @bob 2026-11-27 17:00");
    expect(reply.error).toBeUndefined();
    expect(renderText(reply)).toBe(
      "📌 T-1 créé : suivi de INC-1 — Ajouter une alerte disque. Responsable : bob. Échéance : ven. 27 nov. 17:00 (heure de Paris). Rappel au responsable : jeu. 26 nov. 17:00.",
    );
    const t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ title: "Ajouter une alerte disque", ownerId: "shell:bob", ownerName: "bob" });
    expect(t).toMatchObject({ followUpOf: 1, priority: "P3", status: "acknowledged", createdBy: alice.id });
    expect(iso(t.dueAt)).toBe("2026-11-27T17:00:00.000+01:00");
    // Not linked as the outage's own tickets are: the outage's status is not the action's.
    expect(t.outageId).toBeUndefined();
    // The reminder one business day before, the due-date job at the due date.
    expect(iso((await r.relais.store.jobs.pending("T-1:follow_up:reminder"))?.dueAt)).toBe(
      "2026-11-26T17:00:00.000+01:00",
    );
    expect(iso((await r.relais.store.jobs.pending("T-1:follow_up:due"))?.dueAt)).toBe("2026-11-27T17:00:00.000+01:00");
    // Its summary says whose follow-up it is and by when, and why it is P3.
    const summary = await r.text("/ticket voir T-1", { actor: bob });
    expect(summary).toContain("📌 Action de suivi de INC-1 — échéance ven. 27 nov. 17:00 (heure de Paris)");
    expect(summary).toContain("P3 (raison : action de suivi d’une panne, priorité fixée par la politique)");
    await r.dispatcher.flush();
    expect(r.out.to("bob")).toEqual([
      "📌 Alice vous confie T-1, action de suivi de INC-1 : Ajouter une alerte disque. Échéance : ven. 27 nov. 17:00 (heure de Paris). Quand c’est fait : /ticket resoudre T-1.",
    ]);
  });

  it("GIVEN a follow-up due Friday 17:00 THEN its owner is reminded once, Thursday 17:00, and not at all when it is done", async () => {
    await outage();
    await r.say("/outage suivi INC-1 Ajouter une alerte disque @bob 2026-11-27 17:00");
    await r.say("/outage suivi INC-1 Documenter la bascule @bob 2026-11-27 17:00");
    await r.dispatcher.flush();
    const assigned = r.out.to("bob").length;
    // T-2 is done before its reminder: no reminder for it.
    await r.relais.services.tickets.resolve(bobShell, 2, { kind: "fixed" });
    await r.at("2026-11-26T16:59");
    expect(r.out.to("bob")).toHaveLength(assigned);
    await r.at("2026-11-26T17:00");
    await r.at("2026-11-26T17:30");
    expect(r.out.to("bob").slice(assigned)).toEqual([
      "⏰ Rappel : l’action de suivi T-1 de INC-1 (Ajouter une alerte disque) arrive à échéance ven. 27 nov. 17:00 (heure de Paris). Quand c’est fait : /ticket resoudre T-1.",
    ]);
  });

  it("GIVEN a follow-up still open at its due date THEN its owner and the outage's owner are told it is overdue; a done one tells nobody", async () => {
    await outage();
    await r.say("/outage suivi INC-1 Ajouter une alerte disque @bob 2026-11-25 12:00");
    await r.say("/outage suivi INC-1 Documenter la bascule @bob 2026-11-25 12:00");
    await r.relais.services.tickets.resolve(bobShell, 2, { kind: "fixed" });
    await r.at("2026-11-25T11:59");
    const before = { bob: r.out.to("bob").length, alice: r.out.to(alice.id).length };
    await r.at("2026-11-25T12:00");
    const overdue =
      "⚠️ L’action de suivi T-1 de INC-1 (Ajouter une alerte disque) devait être faite pour 12:00 (heure de Paris) et est toujours ouverte. Responsable : bob.";
    expect(r.out.to("bob").slice(before.bob)).toEqual([overdue]);
    expect(r.out.to(alice.id).slice(before.alice)).toEqual([overdue]);
  });

  it("GIVEN three follow-ups, one done, one open, one overdue THEN the report lists each with its owner, due date and state, in French and in English", async () => {
    await outage();
    await r.say("/outage suivi INC-1 Ajouter une alerte disque @bob 2026-11-25 12:00");
    await r.say("/outage suivi INC-1 Documenter la bascule @bob 2026-11-25 12:00");
    await r.say("/outage suivi INC-1 Tester la restauration @bob 2026-12-01 10:00");
    await r.relais.services.tickets.resolve(bobShell, 2, { kind: "fixed" });
    r.clock.set(paris("2026-11-26T09:00"));
    const fr = await r.text("/outage rapport INC-1");
    expect(fr).toContain(
      [
        "Suivi",
        "- T-1 — Ajouter une alerte disque · bob · échéance mer. 25 nov. 12:00 (heure de Paris) · en retard",
        "- T-2 — Documenter la bascule · bob · échéance mer. 25 nov. 12:00 · fait",
        "- T-3 — Tester la restauration · bob · échéance mar. 1 déc. 10:00 · ouvert",
      ].join("\n"),
    );
    const en = await r.text("/outage report INC-1", { lang: "en" });
    expect(en).toContain(
      [
        "Follow-up",
        "- T-1 — Ajouter une alerte disque · bob · due Wed 25 Nov 12:00 (Paris time) · overdue",
        "- T-2 — Documenter la bascule · bob · due Wed 25 Nov 12:00 · done",
        "- T-3 — Tester la restauration · bob · due Tue 1 Dec 10:00 · open",
      ].join("\n"),
    );
  });
});

describe("who may add a follow-up", () => {
  it("GIVEN a manager who does not own the outage THEN they may add one; its owner is the one named", async () => {
    await outage(withManagers(carol.id));
    const reply = await r.say("/outage suivi INC-1 Revoir la supervision @bob +3j", { actor: carol });
    expect(reply.error).toBeUndefined();
    expect(await r.relais.services.tickets.get(1)).toMatchObject({ ownerId: "shell:bob", createdBy: carol.id });
  });
});

describe("the resolve form's follow-up section", () => {
  const RESOLVE = { whatHappened: "Disque plein sur le nœud 2", result: "Service rétabli" };

  it("GIVEN a restoration with a follow-up action, owner and due date THEN the outage is restored, the follow-up ticket made as by /outage suivi, and the report posted lists it", async () => {
    await outage();
    const reply = await r.say("/outage retablir INC-1", {
      form: {
        ...RESOLVE,
        followUpAction: "Ajouter une alerte de remplissage",
        followUpOwner: "@bob",
        followUpDue: "2026-11-27 17:00",
      },
    });
    expect(reply.error).toBeUndefined();
    const text = renderText(reply);
    expect(text).toContain("✅ INC-1 rétabli");
    expect(text).toContain("📌 T-1 créé : suivi de INC-1 — Ajouter une alerte de remplissage. Responsable : bob.");
    expect(text).toContain(
      "- T-1 — Ajouter une alerte de remplissage · bob · échéance ven. 27 nov. 17:00 (heure de Paris) · ouvert",
    );
    expect((await r.relais.services.outages.get(1)).status).toBe("resolved");
    expect(await r.relais.services.tickets.get(1)).toMatchObject({ followUpOf: 1, ownerId: "shell:bob" });
    expect(await r.relais.store.jobs.pending("T-1:follow_up:reminder")).toBeDefined();
  });

  it("GIVEN a restoration whose follow-up is due in the past THEN the whole form is refused: the outage still ongoing, no ticket, job or post", async () => {
    await outage();
    const before = await snapshot();
    const reply = await r.say("/outage retablir INC-1", {
      form: { ...RESOLVE, followUpAction: "Ajouter une alerte", followUpOwner: "@bob", followUpDue: "09:00" },
    });
    expect(reply.error).toBe("followup_due_past");
    expect(renderText(reply)).toContain("Cette échéance est déjà passée");
    expect(await snapshot()).toEqual(before);
    expect(before.outage.status).toBe("ongoing");
  });

  it("GIVEN a restoration without a follow-up THEN no ticket is made and the report's follow-up section keeps what was written", async () => {
    await outage();
    const reply = await r.say("/outage retablir INC-1", {
      form: { ...RESOLVE, followUp: "Surveiller le disque une semaine" },
    });
    expect(reply.error).toBeUndefined();
    expect(renderText(reply)).toContain("## Suivi\nSurveiller le disque une semaine\n");
    expect((await snapshot()).tickets).toBe(0);
  });
});

describe("follow-ups refused, with nothing changed", () => {
  const cases: { name: string; line: string; actor?: Actor; lang?: "fr" | "en"; error: string; text: string }[] = [
    {
      name: "an unknown outage",
      line: "/outage suivi INC-9 Ajouter une alerte @bob +3j",
      error: "outage_not_found",
      text: "INC-9",
    },
    {
      name: "no action",
      line: "/outage suivi INC-1 @bob +3j",
      error: "missing_argument",
      text: "Il manque Action de suivi (un ticket enfant). Usage : /outage suivi INC-<n> <action de suivi> @<name> <échéance>",
    },
    {
      name: "a due date already passed",
      line: "/outage suivi INC-1 Ajouter une alerte @bob 09:00",
      error: "followup_due_past",
      text: "Cette échéance est déjà passée : donnez une date à venir (ex. +3j, 2026-12-04 17:00). Rien n’a été créé.",
    },
    {
      name: "a due date already passed (English)",
      line: "/outage followup INC-1 Add a disk alert @bob 09:00",
      lang: "en",
      error: "followup_due_past",
      text: "That due date has already passed: give one to come (e.g. +3d, 2026-12-04 17:00). Nothing was created.",
    },
    {
      name: "a due date Relais cannot read",
      line: "/outage suivi INC-1 Ajouter une alerte @bob vendredi",
      error: "invalid_time",
      text: "vendredi",
    },
    {
      name: "someone who is neither the outage's owner nor a manager",
      line: "/outage suivi INC-1 Ajouter une alerte @bob +3j",
      actor: bob,
      error: "not_owner",
      text: "Alice, responsable de INC-1, ou un manager",
    },
  ];
  for (const c of cases)
    it(`GIVEN ${c.name} THEN a polite refusal and no ticket, job or post`, async () => {
      await outage();
      const before = await snapshot();
      const reply = await r.say(c.line, {
        ...(c.actor ? { actor: c.actor } : {}),
        ...(c.lang ? { lang: c.lang } : {}),
      });
      expect(reply.error).toBe(c.error);
      expect(renderText(reply)).toContain(c.text);
      expect(await snapshot()).toEqual(before);
    });

  it("GIVEN the service without an owner, or with an owner Relais cannot reach THEN refused, nothing created", async () => {
    await outage();
    const before = await snapshot();
    const f = r.relais.services.followUps;
    const due = paris("2026-11-27T17:00");
    await expect(f.add(alice, 1, { action: "Ajouter une alerte", due })).rejects.toMatchObject({
      code: "followup_owner_required",
    });
    await expect(
      f.add(alice, 1, { action: "Ajouter une alerte", owner: { name: "Bob Martin" }, due }),
    ).rejects.toMatchObject({
      code: "followup_owner_unreachable",
    });
    await expect(f.add(alice, 1, { owner: bobShell, due })).rejects.toMatchObject({ code: "followup_action_required" });
    await expect(f.add(alice, 1, { action: "Ajouter une alerte", owner: bobShell })).rejects.toMatchObject({
      code: "followup_due_required",
    });
    expect(await snapshot()).toEqual(before);
  });
});
