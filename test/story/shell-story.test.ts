import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "../../src/timeline/events.ts";
import { type OutboxRelais, type SayOptions, startRelaisWithOutbox } from "../helpers.ts";
import { bob, carol, paris, TUESDAY_10, withEscalation } from "../support/fixtures.ts";

/**
 * Issue 12 "What it must show", on the shell with the injected clock: one bad morning, end to end.
 * Every post the outbox sends is logged with the injected time it went out at; each channel's and
 * each person's list is compared whole (each post exactly once, in order, at its time).
 */

let r: OutboxRelais;
afterEach(() => r?.close());

const dan: Actor = { id: "shell:dan", name: "dan" }; // the requester of T-1, reachable in chat
const erin: Actor = { id: "shell:erin", name: "erin" }; // the new owner the decision names

interface Post {
  at: string;
  channel: string;
  text: string;
}

const DEBUG = process.env.STORY_DEBUG === "1";

/** Everything sent, with the injected time (HH:MM, Paris) it went out at. */
const log: Post[] = [];

/** Moves the clock to `hhmm` (fires what is due), runs `line` as `actor`, sends what the outbox holds. */
async function at(hhmm: string, line?: string, opts: SayOptions = {}) {
  await r.at(`2026-11-24T${hhmm}`);
  const reply = line ? await r.say(line, opts) : undefined;
  if (reply?.error) throw new Error(`${line} refused: ${reply.error} ${JSON.stringify(reply.blocks)}`);
  await r.dispatcher.flush();
  for (const s of r.out.sent.slice(log.length)) log.push({ at: hhmm, channel: s.channel, text: s.text });
  return reply;
}

/** What `channel` (a channel or a person) received: "HH:MM first line", in order. */
const to = (channel: string) => log.filter((p) => p.channel === channel).map((p) => `${p.at} ${firstLine(p.text)}`);
const firstLine = (text: string) =>
  text
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim() ?? "";

describe("one bad morning on the shell (issue 12)", () => {
  it("GIVEN a ticket that becomes an outage, is escalated, decided, handed over, restored and confirmed THEN every channel and person hears each step once, in order, on time, and the report tells the whole story", async () => {
    log.length = 0;
    r = await startRelaisWithOutbox({
      now: paris(TUESDAY_10),
      policy: withEscalation("escalades", { users: [carol.id] }),
    });

    // 10:00 — dan calls: mail is down for him. A ticket with a reachable requester.
    await at("10:00", "/ticket", {
      form: { title: "Messagerie indisponible", requester: "@dan", since: "depuis 09h40", scope: "tout le siège" },
    });
    // 10:02 — Bob files leo's ticket on the same problem, and hangs it under T-1.
    await at("10:02", "/ticket", { actor: bob, form: { title: "Outlook ne reçoit plus rien", requester: "@leo" } });
    await at("10:03", "/ticket lier T-2 T-1", { actor: bob });
    // 10:05 — it is everyone: P1, with the reason.
    await at("10:05", "/ticket priority T-1 P1 200 utilisateurs bloqués, service indisponible");
    // 10:10 — the outage is declared from the ticket.
    await at("10:10", "/outage declare T-1", {
      form: {
        services: "Exchange, Outlook",
        impactText: "tout le siège (200 utilisateurs)",
        impact: "élevé",
        urgency: "haute",
        workaround: "aucun contournement",
        channels: "#support #compta",
      },
    });
    // 10:50 — first update, on time, with an estimate.
    await at("10:50", "/outage update INC-1", {
      form: { stage: "diagnostic", nextAction: "vérifier le stockage", estimate: "12:30" },
    });
    // During the outage, the ticket shows the outage's stage and next update.
    await at("11:00");
    const summary = await r.text("/ticket show T-1");
    const answer = await r.text("/ticket show T-2", { actor: carol });
    // 11:50 — Alice misses her update: "no change" fires at its due time.
    await at("11:40");
    await at("11:50");
    // 12:10 — the estimate slips: the delay message.
    await at("12:10", "/outage update INC-1", {
      form: { stage: "log_analysis", nextAction: "remplacer le disque du nœud 2", estimate: "13:30" },
    });
    // 12:15 — escalation, facts left to what Relais proposes.
    await at("12:15", "/escalate T-1", {
      form: {
        type: "technical",
        direction: "functional",
        targetTeam: "Stockage N3",
        why: "Seul le N3 peut remplacer un disque de la baie",
        request: "Remplacer le disque défaillant du nœud 2 et confirmer l’heure de retour",
        urgency: "immediate",
        impact: "200 utilisateurs",
        recommendation: "A : attendre le disque ce soir ; B : basculer sur la baie de secours maintenant",
      },
    });
    // 12:45 — no acknowledgement: Relais follows up in the thread.
    await at("12:45");
    // 12:50 — Bob takes it over.
    await at("12:50", "/escalate ack E-1 13:30", { actor: bob });
    // 12:55 — Carol decides, and names erin as the new owner.
    await at("12:55", "/escalate decide E-1 B", {
      actor: carol,
      form: { rationale: "La baie de secours tient la charge.", owner: "@erin" },
    });
    // 13:00 — erin accepts; then announces the decision once.
    await at("13:00", "/owner accept T-1", { actor: erin });
    await at("13:02", "/escalate announce E-1", { actor: erin });
    // 13:05 — service restored, by the new owner.
    await at("13:05", "/outage resolve INC-1", {
      actor: erin,
      form: {
        whatHappened: "Un disque de la baie saturé",
        result: "Messagerie rétablie",
        prevention: "Alerte sur le remplissage",
      },
    });
    await at("13:10", "/ticket resolve T-1 fixed bascule sur la baie de secours", { actor: erin });
    await at("13:20", "/ticket confirm T-1", { actor: dan });
    // The incident report: for the outage's owner (erin now) or a manager (PRODUCT "Authority").
    const report = await r.text("/outage rapport INC-1", { actor: erin });

    if (DEBUG) {
      for (const c of new Set(log.map((p) => p.channel))) console.log(c, JSON.stringify(to(c), null, 1));
      console.log(summary, "\n----\n", answer, "\n----\n", report);
      console.log(JSON.stringify(log, null, 1));
    }

    // Who heard anything: the two affected channels, the escalation channel, and four people.
    expect([...new Set(log.map((p) => p.channel))].sort()).toEqual(
      ["U-alice", "compta", "dan", "erin", "escalades", "leo", "support"].sort(),
    );
    // The affected channels: each step once, in order, at its time — the decision by the new owner.
    const channel = [
      "10:10 🚨 INC-1 — Messagerie indisponible. Toutes nos excuses : Exchange, Outlook est perturbé (tout le siège (200 utilisateurs)). Priorité P1.",
      "10:50 🔄 INC-1 — Étape : diagnostic. Blocage : —. Prochaine action : vérifier le stockage. Prochain point : 11:50 (heure de Paris).",
      "11:50 ⏱️ INC-1 — Pas de changement depuis 10:50 (heure de Paris). Prochain point à 12:50.",
      "12:10 == ⏳ INC-1 — Messagerie indisponible : nouveau délai ==",
      "12:15 ℹ️ INC-1 (T-1) — Une équipe spécialisée (Stockage N3) est impliquée. Prochain point inchangé : 13:10 (heure de Paris). Votre contact reste Alice.",
      "13:02 📣 T-1 — Décision : basculer sur la baie de secours maintenant. La baie de secours tient la charge. erin est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
      "13:05 ✅ INC-1 — Messagerie indisponible : service rétabli. Messagerie rétablie. Merci de votre patience.",
    ];
    expect(to("support")).toEqual(channel);
    expect(to("compta")).toEqual(channel);
    const posted = (c: string, hhmm: string) => log.find((p) => p.channel === c && p.at === hhmm)!.text;
    expect(posted("support", "10:10")).toContain("Responsable : Alice. Prochain point : 11:10 (heure de Paris)");
    expect(posted("support", "12:10")).toContain("Nouvelle estimation : 13:30");
    expect(posted("support", "12:10")).toContain("vers 12:30 (heure de Paris)");
    expect(posted("support", "11:50")).toContain("Étape : diagnostic.");

    // The requesters: their acknowledgement, then the outage as their channels heard it — the
    // announcement, the updates (not the no-change), the restoration; dan, his resolution.
    const followed = (ticket: string) => [
      `10:10 Votre demande ${ticket} est concernée par INC-1. Voici le dernier point :`,
      `10:50 Votre demande ${ticket} est concernée par INC-1. Voici le dernier point :`,
      `12:10 Votre demande ${ticket} est concernée par INC-1. Voici le dernier point :`,
      `13:05 Votre demande ${ticket} est concernée par INC-1. Voici le dernier point :`,
    ];
    expect(to("dan")).toEqual([
      "10:00 Bonjour dan, votre demande est enregistrée sous la référence T-1 : « Messagerie indisponible ». Priorité P3 (par défaut, à qualifier). Première réponse au plus tard 18:00 (heure de Paris).",
      ...followed("T-1").slice(0, 3),
      // The decision, announced once by the new owner, reaches the requester privately as well.
      "13:02 📣 T-1 — Décision : basculer sur la baie de secours maintenant. La baie de secours tient la charge. erin est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
      ...followed("T-1").slice(3),
      "13:10 Bonjour dan, votre demande T-1 est traitée — résultat : résolu. Ce qui a été fait : bascule sur la baie de secours. Est-ce que cela fonctionne pour vous ? Si oui : /ticket confirmer T-1. Y a-t-il autre chose que nous puissions faire pour vous ? Sans réponse, le ticket sera clos automatiquement ven. 27 nov. 13:10 (heure de Paris) ; pour le rouvrir : /ticket rouvrir T-1.",
    ]);
    expect(to("leo")).toEqual([
      "10:02 Bonjour leo, votre demande est enregistrée sous la référence T-2 : « Outlook ne reçoit plus rien ». Priorité P3 (par défaut, à qualifier). Première réponse au plus tard mer. 25 nov. 08:02 (heure de Paris).",
      ...followed("T-2"),
    ]);
    expect(posted("leo", "10:10")).toContain("🚨 INC-1 — Messagerie indisponible");
    expect(posted("leo", "13:05")).toContain("✅ INC-1 — Messagerie indisponible : service rétabli");

    // The owner's private reminders and prompt; the new owner's proposal names who stays answerable.
    expect(to("U-alice")).toEqual([
      "11:40 ⏰ Rappel : le point de INC-1 est promis à 11:50 (heure de Paris) (#support, #compta). Sans nouvelle de votre part, « pas de changement » partira à l’heure.",
      "12:55 ⚖️ E-1 est tranchée : annoncez la décision une fois au demandeur avec /escalate announce E-1 (T-1).",
      "13:00 ⏰ Rappel : le point de INC-1 est promis à 13:10 (heure de Paris) (#support, #compta). Sans nouvelle de votre part, « pas de changement » partira à l’heure.",
    ]);
    expect(to("erin")).toEqual([
      "12:55 🤝 Carol vous propose de devenir responsable de T-1 (Messagerie indisponible). Tant que vous n’avez pas accepté, Alice reste responsable.",
    ]);

    // The escalation thread: the note with its facts from both timelines, the follow-up on silence,
    // the acknowledgement naming the single contact, the decision.
    expect(to("escalades")).toEqual([
      "12:15 == Escalade - technique - dan - 200 utilisateurs - immédiat - Ticket T-1 | 2026-11-24 12:15 Europe/Paris | Owner Alice ==",
      "12:45 🔔 Relance 1 : E-1 attend toujours la confirmation de prise en charge de Stockage N3 ; demande envoyée à 12:15 (heure de Paris).",
      "12:50 ✅ Bob prend en charge E-1 ; retour promis à 13:30 (heure de Paris). Alice reste l’unique point de contact du demandeur jusqu’à une passation acceptée.",
      "12:55 ⚖️ Carol tranche E-1 : option B — basculer sur la baie de secours maintenant — La baie de secours tient la charge. Suite portée par erin. Alice l’annonce au demandeur.",
    ]);
    expect((await r.relais.services.escalations.get(1)).facts).toBe(
      [
        "Heures en Europe/Paris.",
        "mar. 24 nov. 10:00 — T-1 · ouvert par Alice : Messagerie indisponible",
        "mar. 24 nov. 10:03 — T-1 · T-2 rattaché ici par Bob",
        "mar. 24 nov. 10:05 — T-1 · priorité P3 → P1 (Alice : 200 utilisateurs bloqués, service indisponible)",
        "mar. 24 nov. 10:10 — T-1 · lié à INC-1 (annonce aux canaux concernés)",
        "mar. 24 nov. 10:10 — INC-1 · panne déclarée par Alice (P1) : Exchange, Outlook",
        "mar. 24 nov. 10:50 — INC-1 · point de Alice : diagnostic, vérifier le stockage",
        "mar. 24 nov. 11:50 — INC-1 · pas de changement, point tenu à l’heure",
        "mar. 24 nov. 12:10 — INC-1 · point de Alice : analyse des logs, remplacer le disque du nœud 2",
      ].join("\n"),
    );

    // During the outage: the summary and the three-part answer show the outage's stage and next update.
    for (const shown of [summary, answer]) {
      expect(shown).toContain("En cours        : diagnostic (pris en charge)");
      // The zone once, at the first time; the others plain, today's without their date.
      expect(shown).toContain("Dernière action : point de INC-1 à 10:50 (heure de Paris)");
      expect(shown).toContain("Prochain point  : 11:50");
      expect(shown).toContain("Statut suivi par INC-1 (dernier fait : 10:50).");
      expect(shown).toContain(
        "État : pris en charge, diagnostic. Prochaine étape : vérifier le stockage. Prochain point : 11:50.",
      );
      expect(shown.split("heure de Paris")).toHaveLength(2);
    }
    // The linked ticket's first response was met by the announcement, at its time.
    const t2 = await r.relais.services.tickets.get(2);
    expect(t2.firstResponseAt?.toMillis()).toBe(paris("2026-11-24T10:10").toMillis());
    expect(t2.status).toBe("acknowledged");
    // One voice: the outage followed the ticket's handover; the requester's confirmation closed T-1.
    expect((await r.relais.services.outages.get(1)).ownerName).toBe("erin");
    expect((await r.relais.services.tickets.get(1)).status).toBe("closed");

    // The report: the merged chronology, in order, and the duration from the earliest "since".
    const chronology = report.slice(report.indexOf("## Chronologie"), report.indexOf("## Personnes"));
    expect(chronology.trim().split("\n")).toEqual([
      "## Chronologie",
      "- mar. 24 nov. 10:00 — T-1 ouvert par Alice (P3)",
      "- mar. 24 nov. 10:02 — T-2 ouvert par Bob (P3)",
      "- mar. 24 nov. 10:03 — T-2 rattaché à T-1",
      "- mar. 24 nov. 10:05 — T-1 : priorité P3 → P1 (200 utilisateurs bloqués, service indisponible)",
      "- mar. 24 nov. 10:10 — panne déclarée par Alice (P1)",
      "- mar. 24 nov. 10:10 — T-1 lié à la panne",
      "- mar. 24 nov. 10:10 — T-2 lié à la panne",
      "- mar. 24 nov. 10:50 — point de Alice (à l’heure) : diagnostic, vérifier le stockage (blocage : —)",
      "- mar. 24 nov. 11:50 — pas de changement, point tenu à l’heure",
      "- mar. 24 nov. 12:10 — point de Alice (à l’heure) : analyse des logs, remplacer le disque du nœud 2 (blocage : —)",
      "- mar. 24 nov. 12:15 — T-1 : escalade vers Stockage N3 par Alice",
      "- mar. 24 nov. 12:45 — T-1 : relance de l’escalade sans accusé",
      "- mar. 24 nov. 12:50 — T-1 : escalade prise en charge par Bob",
      "- mar. 24 nov. 12:55 — T-1 : décision de Carol (B — basculer sur la baie de secours maintenant)",
      "- mar. 24 nov. 12:55 — T-1 : passation proposée à erin",
      "- mar. 24 nov. 13:00 — T-1 : passation acceptée, erin responsable",
      "- mar. 24 nov. 13:00 — panne : passation à erin",
      "- mar. 24 nov. 13:02 — T-1 : décision annoncée par erin",
      "- mar. 24 nov. 13:05 — service rétabli (erin)",
      "- mar. 24 nov. 13:10 — T-1 résolu par erin",
      "- mar. 24 nov. 13:20 — T-1 : résolution confirmée par dan",
    ]);
    expect(report).toContain(
      "Début de l’impact : mar. 24 nov. 09:40 (« depuis » de T-1 : depuis 09h40). Rétablissement : mar. 24 nov. 13:05. Durée : 3 h 25 min.",
    );
    // The outage itself, declaration to restoration, also in hours and minutes.
    expect(report).toContain("Du mar. 24 nov. 10:10 au mar. 24 nov. 13:05 (2 h 55 min).");
    expect(report).toContain("- Carol (manager qui a tranché)");
    expect(report).toContain("- Bob (responsable, destinataire de l’escalade)");
  });
});
