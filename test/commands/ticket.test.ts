import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice, bob, paris } from "../support/fixtures.ts";
import { OPEN_STATUSES } from "../../src/tickets/model.ts";

let r: TestRelais;
beforeEach(async () => {
  r = await startRelais(); // Tuesday 10:00
});
afterEach(() => r.close());

/** Everything stored about the tickets: a refused command must leave it identical. */
async function snapshot() {
  const { tickets } = await r.relais.services.tickets.list(alice, "all", 1000);
  const timelines = await Promise.all(tickets.map((t) => r.relais.store.tickets.timeline(t.id)));
  return JSON.stringify({ tickets, timelines });
}

describe("/ticket <title>", () => {
  it("GIVEN a one-line title THEN the ticket is acknowledged at once with T-n and its first-response deadline", async () => {
    const reply = await r.say("/ticket Imprimante bloquée au 2e étage");
    expect(reply.error).toBeUndefined();
    expect(reply.ticketId).toBe(1);
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain("T-1");
    // Default P3: 8 business hours from Tuesday 10:00 (open until 18:00) → Tuesday 18:00.
    expect(text).toContain("18:00 (heure de Paris)");
    expect(text).not.toContain("24 nov.");
    const t = await r.relais.services.tickets.get(1);
    expect(t.priority).toBe("P3");
    expect(t.firstResponseDue.toISO()).toBe(paris("2026-11-24T18:00").toUTC().toISO());
  });

  it("GIVEN references THEN they are sequential and repeated in every reply about the ticket", async () => {
    await r.say("/ticket Imprimante bloquée");
    const second = await r.text("/ticket new VPN coupé");
    expect(second).toContain("T-2");
    expect(await r.text("/ticket take T-2")).toContain("T-2");
  });

  it("GIVEN the form (/ticket alone) THEN the matrix sets the priority and identification is kept", async () => {
    const reply = await r.say("/ticket", {
      form: {
        title: "Messagerie inaccessible pour tout le service",
        requester: "Mme Martin",
        department: "Comptabilité",
        workstation: "PC-0423",
        impact: "1",
        urgency: "1",
        workaround: "1",
        since: "ce matin 8h",
        changed: "mise à jour Outlook hier",
        reproducible: "oui",
        scope: "généralisé",
        errorMessage: "0x800CCC0E",
        profile: "novice",
      },
    });
    expect(reply.error).toBeUndefined();
    const t = await r.relais.services.tickets.get(reply.ticketId!);
    expect(t).toMatchObject({
      priority: "P1",
      impact: "high",
      urgency: "high",
      workaround: "none",
      requester: "Mme Martin",
      department: "Comptabilité",
      workstation: "PC-0423",
      profile: "novice",
      scope: "généralisé",
      errorMessage: "0x800CCC0E",
    });
    // P1 runs 24/7: 30 minutes.
    expect(t.firstResponseDue.toISO()).toBe(paris("2026-11-24T10:30").toUTC().toISO());
  });

  it("GIVEN a form abandoned halfway THEN nothing is saved", async () => {
    const reply = await r.say("/ticket", {
      form: { title: "Écran noir", requester: "M. Durand", department: null },
    });
    expect(reply.error).toBe("form_cancelled");
    expect(await snapshot()).toBe(JSON.stringify({ tickets: [], timelines: [] }));
  });

  it.each([
    ["/ticket new", "missing_argument", "Il manque"],
    ["/ticket new    ", "missing_argument", "Il manque"],
    [`/ticket ${"très long titre ".repeat(20)}`, "title_too_long", "caractères"],
    ["/ticket lsit", "unknown_subcommand", "Vouliez-vous dire « list »"],
    ["/ticket \u0000\u0007", "unknown_subcommand", "sous-commande"],
    ["/tiket Imprimante", "unknown_command", "Commande inconnue"],
  ])("GIVEN %j THEN it is refused (%s) in French and nothing is created", async (line, code, words) => {
    const reply = await r.say(line);
    expect(reply.error).toBe(code);
    expect(reply.ephemeral).toBe(true);
    expect(JSON.stringify(reply.blocks)).toContain(words);
    expect((await r.relais.services.tickets.list(alice, "all")).total).toBe(0);
  });

  it("GIVEN a title made only of control characters in the form THEN it is asked again, then refused, and nothing is saved", async () => {
    const reply = await r.say("/ticket", { form: { title: ["\u0007\u0008 ", "", ""] } });
    expect(reply.error).toBe("field_required");
    expect(JSON.stringify(reply.blocks)).toContain("Résumé du problème");
    expect((await r.relais.services.tickets.list(alice, "all")).total).toBe(0);
  });
});

describe("bad input on every subcommand is refused politely and changes nothing", () => {
  beforeEach(async () => {
    await r.say("/ticket Imprimante bloquée au 2e étage"); // T-1, new
    await r.say("/ticket VPN coupé pour l'équipe"); // T-2
    await r.say("/ticket take T-2");
    await r.say("/ticket resolve T-2 fixed Redémarrage du concentrateur"); // T-2 resolved
  });

  it.each([
    ["/ticket show T-99", "ticket_not_found", "T-99 n’existe pas"],
    ["/ticket show", "missing_argument", "référence du ticket"],
    ["/ticket show X-1", "invalid_reference", "attendu T-<n>, par exemple T-42"],
    ["/ticket show T-1 T-2", "extra_argument", "de trop"],
    ["/ticket take T-0", "ticket_not_found", "T-0"],
    ["/ticket take T-2", "illegal_transition", "est résolu"],
    ["/ticket list P4", "invalid_choice", "Valeurs possibles"],
    ["/ticket priority T-1 P5 40 utilisateurs", "invalid_choice", "P1"],
    ["/ticket priority T-1 P1", "priority_reason_required", "raison objective"],
    ["/ticket priority T-1 P1 le demandeur insiste", "priority_reason_not_objective", "insistance"],
    ["/ticket priority T-1 P3 20 postes", "same_priority", "déjà en P3"],
    ["/ticket priority T-2 P1 tout le site est en panne", "illegal_transition", "résolu"],
    ["/ticket wait T-1 client rappel demain", "invalid_choice", "demandeur"],
    ["/ticket wait T-1 requester", "missing_argument", "attendu"],
    ["/ticket resolve T-1 wont_do Achat non autorisé", "missing_argument", "Alternative proposée"],
    ["/ticket resolve T-1 magic", "invalid_choice", "Type de résolution"],
    ["/ticket confirm T-1", "illegal_transition", "nouveau"],
    ["/ticket close T-1", "illegal_transition", "nouveau"],
    ["/ticket reopen T-1", "illegal_transition", "nouveau"],
    ["/ticket update T-2 diagnostic Relancer le serveur", "illegal_transition", "résolu"],
    ["/ticket update T-1 cooking Relancer le serveur", "invalid_choice", "Étape"],
    [`/ticket update T-1 diagnostic ${"x".repeat(1001)}`, "text_too_long", "1000"],
  ])("GIVEN %j THEN %s", async (line, code, words) => {
    const before = await snapshot();
    const reply = await r.say(line);
    expect(reply.error).toBe(code);
    expect(JSON.stringify(reply.blocks)).toContain(words);
    expect(await snapshot()).toBe(before);
  });

  it("GIVEN an English user THEN the same refusal reads in English", async () => {
    const reply = await r.say("/ticket priority T-1 P1 the requester insists", { lang: "en" });
    expect(reply.error).toBe("priority_reason_not_objective");
    expect(JSON.stringify(reply.blocks)).toContain("not by the requester insisting");
    const missing = await r.say("/ticket show T-42", { lang: "en" });
    expect(JSON.stringify(missing.blocks)).toContain("Ticket T-42 does not exist");
  });

  it("GIVEN a next-update time already past THEN it is refused beside the field, asked again, and the update refused after three", async () => {
    const reply = await r.say("/ticket update T-1", {
      form: { stage: "diagnostic", nextAction: "Tester un autre port", nextUpdate: ["09:00", "08:00", "9h30"] },
    });
    expect(reply.error).toBe("time_in_past");
  });

  it("GIVEN an unreadable time in the form THEN it is asked again, and a good answer goes through", async () => {
    const reply = await r.say("/ticket update T-1", {
      form: { stage: "diagnostic", nextAction: "Tester un autre port", nextUpdate: ["bientôt", "15:30"] },
    });
    expect(reply.error).toBeUndefined();
    expect((await r.relais.services.tickets.get(1)).nextUpdateDue?.toISO()).toBe(
      paris("2026-11-24T15:30").toUTC().toISO(),
    );
  });
});

describe("/ticket list pages the queue (issue 16: never every open ticket at once)", () => {
  const P1 = { impact: "high", urgency: "high", workaround: "none" } as const;
  const items = (reply: { blocks: readonly { type: string }[] }) =>
    (reply.blocks.find((b) => b.type === "list") as { items: string[] } | undefined)?.items ?? [];
  const refs = (reply: { blocks: readonly { type: string }[] }) => items(reply).map((i) => i.split(" · ")[0]);

  beforeEach(async () => {
    // 60 open tickets, every 7th a P1 (T-1, T-8, …): 9 P1 then 51 P3; and a resolved one (T-61).
    for (let i = 1; i <= 60; i++)
      await r.relais.services.tickets.create(alice, {
        title: `Poste ${i} lent`,
        ...(i % 7 === 1 ? { assessment: P1 } : {}),
      });
    await r.say("/ticket VPN coupé");
    await r.say("/ticket take T-61");
    await r.say("/ticket resolve T-61 fixed Redémarrage du concentrateur");
  });

  it("GIVEN 61 tickets not closed THEN `/ticket list all page 2` shows the rows after the first 50, in queue order, and says how to see it", async () => {
    const first = await r.say("/ticket list all");
    expect(first.error).toBeUndefined();
    expect(items(first)).toHaveLength(50);
    expect(JSON.stringify(first.blocks)).toContain("File des tickets (tous) : 61");
    expect(JSON.stringify(first.blocks)).toContain("… et 11 de plus. Page suivante : /ticket liste tous page 2");
    const second = await r.say("/ticket liste tous page 2");
    expect(second.error).toBeUndefined();
    expect(JSON.stringify(second.blocks)).toContain("File des tickets (tous) : 61 — page 2");
    expect(JSON.stringify(second.blocks)).not.toContain("de plus");
    const p1 = Array.from({ length: 9 }, (_, i) => `T-${1 + 7 * i}`);
    const rest = Array.from({ length: 61 }, (_, i) => `T-${i + 1}`).filter((x) => !p1.includes(x));
    expect([...refs(first), ...refs(second)]).toEqual([...p1, ...rest]);
    // The same page, however it is typed; English suggests English.
    expect(refs(await r.say("/ticket list all 2"))).toEqual(refs(second));
    const en = await r.say("/ticket list all", { lang: "en" });
    expect(JSON.stringify(en.blocks)).toContain("… and 11 more. Next page: /ticket list all page 2");
  });

  it("GIVEN the open queue of 60 THEN page 2 of a filter pages that filter, and the P1 filter has one page", async () => {
    const second = await r.say("/ticket list open page 2");
    const p1 = Array.from({ length: 9 }, (_, i) => `T-${1 + 7 * i}`);
    const p3 = Array.from({ length: 60 }, (_, i) => `T-${i + 1}`).filter((x) => !p1.includes(x));
    expect(refs(second)).toEqual([...p1, ...p3].slice(50));
    // "mine" pages alike, on the owner's own index (alice created them all).
    expect(refs(await r.say("/ticket list mine page 2"))).toEqual(refs(second));
    const onlyP1 = await r.say("/ticket list P1");
    expect(refs(onlyP1)).toEqual(p1);
    expect(JSON.stringify(onlyP1.blocks)).not.toContain("de plus");
  });

  it.each([
    ["fr", "/ticket list all page 0", "« page 0 » n’est pas un numéro de page"],
    ["fr", "/ticket liste tous page deux", "« page deux » n’est pas un numéro de page"],
    ["en", "/ticket list all page -1", "“page -1” is not a page number"],
    ["en", "/ticket list all 2.5", "“2.5” is not a page number"],
  ] as const)(
    "GIVEN a bad page number (%s: %s) THEN it is refused politely and nothing changes",
    async (lang, line, says) => {
      const before = await snapshot();
      const reply = await r.say(line, { lang });
      expect(reply.error).toBe("invalid_page");
      expect(JSON.stringify(reply.blocks)).toContain(says);
      expect(await snapshot()).toBe(before);
    },
  );

  it("GIVEN a bounded count THEN the store stops counting there (the queue's header says 1000+ past COUNT_AHEAD)", async () => {
    const open = { statuses: OPEN_STATUSES };
    expect(await r.relais.store.tickets.count(open)).toBe(60);
    expect(await r.relais.store.tickets.count(open, 25)).toBe(25);
    expect(await r.relais.store.tickets.count({ ...open, priority: "P1" }, 25)).toBe(9);
    expect(await r.relais.store.tickets.count({ ...open, ownerId: alice.id }, 100)).toBe(60);
    const listed = await r.relais.services.tickets.list(alice, "all");
    expect({ total: listed.total, exact: listed.exact }).toEqual({ total: 61, exact: true });
  });

  it("GIVEN a page past the end THEN it says how many pages the queue has, in French and in English", async () => {
    const fr = await r.say("/ticket list all page 3");
    expect(fr.error).toBeUndefined();
    expect(JSON.stringify(fr.blocks)).toContain(
      "Il n’y a pas de page 3 dans la file des tickets (tous) : elle en compte 2.",
    );
    const en = await r.say("/ticket list P1 page 2", { lang: "en" });
    expect(JSON.stringify(en.blocks)).toContain("There is no page 2 in the ticket queue (P1): it has 1 page.");
  });
});

describe("the lifecycle through the commands", () => {
  it("GIVEN a ticket taken, updated, prioritised, paused, resolved and confirmed THEN each step is on the timeline", async () => {
    // Bob opens it and owns it: only the owner (or a manager with a reason) acts on it (PRODUCT "Authority").
    await r.say("/ticket Messagerie inaccessible", { actor: bob });
    expect(await r.text("/ticket prendre T-1", { actor: bob })).toContain("Bob");
    let t = await r.relais.services.tickets.get(1);
    expect(t.status).toBe("acknowledged");
    expect(t.firstResponseAt?.toISO()).toBe(r.clock.now().toUTC().toISO());

    r.clock.advance({ minutes: 20 });
    const upd = await r.text("/ticket maj T-1 reproduction Vérifier le connecteur Exchange", { actor: bob });
    expect(upd).toContain("Étape : reproduction");
    t = await r.relais.services.tickets.get(1);
    // P3 cadence: daily (1 business day) → Wednesday 10:20.
    expect(t.nextUpdateDue?.toISO()).toBe(paris("2026-11-25T10:20").toUTC().toISO());

    const prio = await r.text("/ticket priorité T-1 P2 40 utilisateurs sont maintenant bloqués", { actor: bob });
    expect(prio).toContain("P3 → P2");
    expect(prio).toContain("nombre d’utilisateurs");

    expect(await r.text("/ticket attente T-1 demandeur redémarrage du poste", { actor: bob })).toContain("suspendus");
    expect((await r.relais.services.tickets.get(1)).pausedAt).toBeDefined();

    r.clock.advance({ hours: 1 });
    await r.say("/ticket update T-1 validation Le demandeur confirme le test", { actor: bob });
    t = await r.relais.services.tickets.get(1);
    expect(t.pausedAt).toBeUndefined();
    expect(t.status).toBe("in_progress");

    const res = await r.text("/ticket résoudre T-1 fixed Connecteur réinstallé", { actor: bob });
    expect(res).toContain("clôture automatique");
    t = await r.relais.services.tickets.get(1);
    expect(t.autoCloseAt?.toISO()).toBe(r.clock.now().plus({ hours: 72 }).toUTC().toISO());

    // Bob owns it (the requester, its owner or a manager may confirm).
    expect(await r.text("/ticket confirmer T-1", { actor: bob })).toContain("clos");
    expect(await r.text("/ticket rouvrir T-1 le problème revient", { actor: bob })).toContain("rouvert");
    await r.say("/ticket resolve T-1 wont_do Pas de licence Photoshop", {
      actor: bob,
      form: { alternative: "GIMP installé à la place" },
    });
    t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ status: "resolved", resolutionKind: "wont_do", alternative: "GIMP installé à la place" });
    expect(await r.text("/ticket fermer T-1", { actor: bob })).toContain("clos");

    const kinds = (await r.relais.services.tickets.timeline(1)).map((e) => e.kind);
    expect(kinds).toEqual([
      "created",
      "taken",
      "updated",
      "priority_changed",
      "waiting",
      "updated",
      "resolved",
      "confirmed",
      "reopened",
      "resolved",
      "closed",
    ]);
    const prioEvent = (await r.relais.services.tickets.timeline(1)).find((e) => e.kind === "priority_changed")!;
    expect(prioEvent).toMatchObject({
      actor: { id: bob.id, name: "Bob" },
      reason: "40 utilisateurs sont maintenant bloqués",
      data: { from: "P3", to: "P2", criterion: "users" },
    });
  });

  it("GIVEN tickets of mixed priorities THEN the queue is priority first, then arrival (FIFO)", async () => {
    await r.say("/ticket Souris perdue au 3e");
    await r.say("/ticket", {
      form: { title: "Serveur de fichiers indisponible", impact: "high", urgency: "high", workaround: "none" },
    });
    await r.say("/ticket Écran qui scintille");
    await r.say("/ticket", {
      form: { title: "ERP lent pour la compta", impact: "medium", urgency: "medium", workaround: "partial" },
    });
    const list = await r.say("/ticket list");
    const items = (list.blocks.find((b) => b.type === "list") as { items: string[] }).items;
    expect(items.map((i) => i.split(" · ").slice(0, 2).join(" "))).toEqual(["T-2 P1", "T-4 P2", "T-1 P3", "T-3 P3"]);
    const p3 = await r.say("/ticket liste P3");
    expect(JSON.stringify(p3.blocks)).not.toContain("T-2");
    const mine = await r.say("/ticket list mine", { actor: bob });
    expect(mine.error).toBeUndefined();
    expect(JSON.stringify(mine.blocks)).toContain("Aucun ticket");
  });

  it("GIVEN a P1 past its first-response deadline THEN the queue and the summary say it is breached", async () => {
    await r.say("/ticket", {
      form: { title: "Internet coupé sur tout le site", impact: "high", urgency: "high", workaround: "none" },
    });
    r.clock.advance({ minutes: 25 });
    expect(await r.text("/ticket list")).toContain("à risque");
    r.clock.advance({ minutes: 10 });
    expect(await r.text("/ticket list")).toContain("dépassée");
    const show = await r.text("/ticket voir T-1", { lang: "en" });
    expect(show).toContain("overdue");
    for (const label of [
      "Summary",
      "Priority",
      "Last action",
      "In progress",
      "Blocked by",
      "Next step",
      "Next update",
      "Workaround",
    ]) {
      expect(show).toContain(label);
    }
  });

  it("GIVEN help after a command THEN it explains the command in the user's language", async () => {
    expect(await r.text("/ticket aide")).toContain("la file");
    expect(await r.text("/ticket help", { lang: "en" })).toContain("the queue");
    expect(await r.text("/ticket priority help", { lang: "en" })).toContain(
      "/ticket priority T-<n> P1|P2|P3 [<reason>]",
    );
    expect(await r.text("/sla")).toContain("P1 · 24/7 · 1re réponse 30 min");
    expect(await r.text("/aide")).toContain("/ticket");
  });
});

describe("rules the domain enforces whatever the surface", () => {
  it("GIVEN a refusal without an alternative THEN the service refuses it (seed 001) and nothing changes", async () => {
    const t = await r.relais.services.tickets.create(alice, { title: "Achat de Photoshop" });
    await expect(
      r.relais.services.tickets.resolve(alice, t.id, { kind: "wont_do", note: "Non autorisé" }),
    ).rejects.toMatchObject({ code: "alternative_required" });
    expect((await r.relais.services.tickets.get(t.id)).status).toBe("new");
  });
});
