import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { paris } from "../../support/fixtures.ts";
import { MAIL_OUTAGE, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

/**
 * Follow-up actions of an outage on Slack (issue 17): signed slash commands against the fake Slack
 * Web API, the owner named with Slack's escaped mention, what everyone reads as Slack receives it.
 */

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

/** Everything Slack was asked to show: posts (their text and blocks) and answers on response URLs. */
const shown = (channel?: string) =>
  h.slack.calls
    .filter((c) => (channel ? c.method === "chat.postMessage" && c.body.channel === channel : true))
    .map((c) => JSON.stringify(c.body));

async function declare() {
  await h.command("declare", {}, "/outage");
  await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "declaration form");
  const view = h.slack.of("views.open")[0]!.body.view as { private_metadata: string; callback_id: string };
  await h.interact(viewSubmission(view, { ...MAIL_OUTAGE, workaroundText: "Webmail", channels: "conversations:C-A" }));
  await h.slack.waitFor((c) => c.some((x) => x.method === "pins.add"), "incident room");
  await h.surface.idle();
  await h.dispatcher.flush();
}

/** Store counts a refusal must leave as they were. */
async function counts() {
  const s = h.r.relais.store;
  return {
    tickets: await s.tickets.count({
      statuses: ["new", "acknowledged", "in_progress", "waiting", "resolved", "closed"],
    }),
    jobs: await s.jobs.countPending(),
    unsent: await s.outbox.countUnsent(),
  };
}

describe("Slack: /outage suivi", () => {
  it("GIVEN the owner adds a follow-up for a colleague named with a Slack mention THEN the colleague is told privately, reminded the business day before, and the report shows it open", async () => {
    await declare();
    const calls = h.slack.calls.length;
    const res = await h.command(
      "suivi INC-1 Ajouter une alerte de remplissage <@UBOB|bob> 2026-11-27 17:00",
      {},
      "/outage",
    );
    expect(res.status).toBe(200);
    await h.slack.waitFor(
      (c) => c.slice(calls).some((x) => JSON.stringify(x.body).includes("T-1 créé")),
      "the follow-up's answer",
    );
    await h.surface.idle();
    expect(shown().slice(calls).join("\n")).toContain(
      "📌 T-1 créé : suivi de INC-1 — Ajouter une alerte de remplissage. Responsable : bob. Échéance : ven. 27 nov. 17:00 (heure de Paris). Rappel au responsable : jeu. 26 nov. 17:00.",
    );
    await h.dispatcher.flush();
    expect(shown("UBOB")).toEqual([
      expect.stringContaining(
        "📌 alice vous confie T-1, action de suivi de INC-1 : Ajouter une alerte de remplissage.",
      ),
    ]);

    // The business day before, at the same time: the reminder, once.
    h.r.clock.set(paris("2026-11-26T17:00"));
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    h.r.clock.set(paris("2026-11-26T18:00"));
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    expect(shown("UBOB")).toHaveLength(2);
    expect(shown("UBOB")[1]).toContain(
      "⏰ Rappel : l’action de suivi T-1 de INC-1 (Ajouter une alerte de remplissage) arrive à échéance ven. 27 nov. 17:00 (heure de Paris).",
    );

    const before = h.slack.calls.length;
    await h.command("rapport INC-1", {}, "/outage");
    await h.slack.waitFor(
      (c) => c.slice(before).some((x) => JSON.stringify(x.body).includes("Rapport d’incident")),
      "the report",
    );
    expect(shown().slice(before).join("\n")).toContain(
      "T-1 — Ajouter une alerte de remplissage · bob · échéance ven. 27 nov. 17:00 (heure de Paris) · ouvert",
    );
  });

  it("GIVEN a due date already passed THEN a polite refusal on Slack and nothing created", async () => {
    await declare();
    const before = await counts();
    const calls = h.slack.calls.length;
    await h.command("suivi INC-1 Ajouter une alerte <@UBOB|bob> 09:00", {}, "/outage");
    await h.slack.waitFor(
      (c) => c.slice(calls).some((x) => JSON.stringify(x.body).includes("Rien n’a été créé")),
      "the refusal",
    );
    await h.surface.idle();
    expect(shown().slice(calls).join("\n")).toContain("Cette échéance est déjà passée");
    expect(await counts()).toEqual(before);
    await h.dispatcher.flush();
    expect(shown("UBOB")).toEqual([]);
  });
});
