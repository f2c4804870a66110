import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackSignature } from "../../support/fake-slack.ts";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { blockAction, SECRET, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

/**
 * Issue 12, "What it must show", on Slack: one bad morning played only with what Slack really sends
 * (signed slash commands, block_actions, view_submissions, an app_mention event), asserted on what
 * the fake Slack received, per channel and per person, at the injected times.
 */

let h: SlackHarness;
const ALICE = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" };
const BOB = { id: "U-BOB", username: "bob", name: "bob", team_id: "T1" };
const CAROL = { id: "UCAROL", username: "carol", name: "carol", team_id: "T1" };
const ANA = "U0ANA";
const DAN = { id: "U0DAN", username: "dan", name: "dan", team_id: "T1" }; // the requester, a Slack user picked in the ticket form
beforeEach(async () => {
  journal = [];
  seen = 0;
  h = await startSlackHarness({ policy: withEscalation("C-ESC", { users: ["slack:UCAROL"] }) });
});
afterEach(() => h.close());

type View = {
  private_metadata: string;
  callback_id: string;
  title: { text: string };
  blocks: { block_id: string; element?: { type: string; initial_value?: string } }[];
};

/** The text a post shows (blocks' text, else the fallback). */
function textOf(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if ((o.type === "mrkdwn" || o.type === "plain_text") && typeof o.text === "string") parts.push(o.text);
      else for (const [k, x] of Object.entries(o)) if (k !== "accessory" && k !== "elements") walk(x);
      if (o.type === "context" && Array.isArray(o.elements)) o.elements.forEach(walk);
    }
  };
  walk(body.blocks);
  return parts.length ? parts.join("\n") : String(body.text ?? "");
}

async function opened(n: number): Promise<View> {
  await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length === n, `modal ${n}`);
  return h.slack.of("views.open").at(-1)!.body.view as View;
}

/** Polls the store (bounded) until the work after an ack has happened. */
async function until(cond: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 250 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 20));
  if (!(await cond()))
    throw new Error(
      `not reached: ${what}; last calls: ${JSON.stringify(h.slack.calls.slice(-4).map((c) => [c.method, c.body.channel, textOf(c.body)]))}`,
    );
}
const timeline = (id: number) => h.r.relais.services.tickets.timeline(id);
const hasEvent =
  (id: number, kind: string, n = 1) =>
  async () =>
    (await timeline(id)).filter((e) => e.kind === kind).length >= n;
const outageHas =
  (kind: string, n = 1) =>
  async () =>
    (await h.r.relais.services.outages.timeline(1)).filter((e) => e.kind === kind).length >= n;

/** Every post the fake Slack received, with the injected time it was made at (HH:mm, Paris). */
let journal: { at: string; channel: string; thread?: string; text: string }[] = [];
let seen = 0;
async function settle() {
  await h.r.relais.store.unit.settled(); // the incident room opened after the declaration's commit
  await h.dispatcher.flush();
  const at = h.r.clock.now().setZone("Europe/Paris").toFormat("HH:mm");
  for (const c of h.slack.calls.slice(seen))
    if (c.method === "chat.postMessage")
      journal.push({
        at,
        channel: String(c.body.channel),
        ...(c.body.thread_ts ? { thread: String(c.body.thread_ts) } : {}),
        text: textOf(c.body),
      });
  seen = h.slack.calls.length;
}
/** What a channel (top level) or a person got, as "HH:mm text", in order. */
const got = (channel: string) =>
  journal.filter((j) => j.channel === channel && !j.thread).map((j) => `${j.at} ${j.text}`);

/** Moves the injected clock, fires what is due, and delivers the outbox to the fake Slack. */
async function at(iso: string) {
  h.r.clock.set(paris(iso));
  await h.r.relais.scheduler.tick();
  await settle();
}

/** Waits until a post containing `text` reached `channel`. */
function waitPost(channel: string, text: string) {
  return h.slack.waitFor(
    (c) =>
      c.some((x) => x.method === "chat.postMessage" && x.body.channel === channel && textOf(x.body).includes(text)),
    `"${text}" in ${channel}`,
  );
}

/** An app_mention event as Slack posts it (JSON, signed). */
async function mention(user: string, text: string, ts: string) {
  const body = JSON.stringify({
    token: "legacy",
    team_id: "T1",
    api_app_id: "A1",
    type: "event_callback",
    event_id: `Ev${ts}`,
    event_time: 1,
    event: { type: "app_mention", user, text, ts, channel: "C-HELP", event_ts: ts },
  });
  const stamp = Math.floor(Date.now() / 1000);
  const res = await fetch(h.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(stamp),
      "x-slack-signature": slackSignature(SECRET, stamp, body),
    },
    body,
  });
  expect(res.status).toBe(200);
}

/** Submits a modal as Slack does; a field refused beside it fails the test with Slack's errors. */
async function submit(payload: Record<string, unknown>) {
  const res = await h.interact(payload);
  expect(res.status).toBe(200);
  expect(res.text, "modal refused").toBe("");
}

function cmd(text: string, command: string, user = ALICE, extra: Record<string, string> = {}) {
  return h.command(text, { user_id: user.id, user_name: user.username, ...extra }, command);
}

describe("Slack: one incident, one story (issue 12)", () => {
  it("GIVEN the bad morning played on Slack THEN every channel and person gets each post once, in order, at the injected times, and the report tells the whole story", async () => {
    // ── 10:00 T-1 from the modal, the requester picked with users_select; T-2 from one line.
    await cmd("", "/ticket");
    const form = await opened(1);
    expect(form.blocks.find((b) => b.block_id === "requester")!.element!.type).toBe("users_select");
    const submission = viewSubmission(
      form,
      { title: "Messagerie indisponible au siège", since: "depuis 09h40", scope: "tout le siège" },
      "V-T1",
      ALICE,
    ) as { view: { state: { values: Record<string, unknown> } } };
    submission.view.state.values.requester = { value: { type: "users_select", selected_user: ANA } };
    const res = await h.interact(submission);
    expect(res.status).toBe(200);
    await until(hasEvent(1, "created"), "T-1 created");
    expect(await h.r.relais.services.tickets.get(1)).toMatchObject({ requesterId: `slack:${ANA}` });

    await cmd("Messagerie coupée aussi", "/ticket");
    await until(hasEvent(2, "created"), "T-2 created");
    await cmd("lier T-2 T-1", "/ticket");
    await until(hasEvent(2, "linked"), "T-2 linked");
    await settle();
    const card1 = h.slack.posted.find((p) => p.channel === "C-HELP" && !p.thread_ts)!.ts;

    // ── 10:05 P1 with a reason; the card offers Declare outage; the modal comes filled in from T-1.
    h.r.clock.set(paris("2026-11-24T10:05"));
    await cmd("priorite T-1 P1 200 utilisateurs bloqués, service indisponible", "/ticket");
    await until(hasEvent(1, "priority_changed"), "P1");
    await h.slack.waitFor(
      (c) =>
        c.some(
          (x) => x.method === "chat.update" && x.body.ts === card1 && JSON.stringify(x.body).includes("ticket_declare"),
        ),
      "card with Declare outage",
    );
    await h.interact(
      blockAction(
        "ticket_declare",
        "1",
        {
          container: { type: "message", message_ts: card1, channel_id: "C-HELP", is_ephemeral: false },
          message: { ts: card1, type: "message", text: "card" },
          response_url: h.slack.responseUrl("declare"),
        },
        ALICE,
      ),
    );
    const declare = await opened(2);
    const initial = Object.fromEntries(
      declare.blocks.map((b) => [
        b.block_id,
        b.element?.initial_value ?? (b.element as { initial_option?: { value: string } })?.initial_option?.value,
      ]),
    );
    await submit(
      viewSubmission(
        declare,
        {
          title: "Messagerie indisponible au siège",
          services: "Exchange",
          impactText: "tout le siège",
          impact: "select:high",
          urgency: "select:high",
          workaround: "select:none",
          channels: "conversations:C-A,C-B",
        },
        "V-DECLARE",
        ALICE,
      ),
    );
    // The declaration is complete when its reply reaches the ticket's thread (room created, posts recorded).
    await waitPost("C-HELP", "INC-1 est lié à T-1");
    await settle();
    expect(initial).toMatchObject({ title: "Messagerie indisponible au siège", impactText: "tout le siège" });
    const room = h.slack.of("conversations.create")[0]!;
    const ROOM = h.slack.of("pins.add")[0]!.body.channel as string;
    expect(room.body.name).toBe("inc-2026-11-24-messagerie-indisponible-au-siege");
    expect((await h.r.relais.services.tickets.get(1)).outageId).toBe(1);

    // ── 10:50 first timed update (modal), with an estimate.
    h.r.clock.set(paris("2026-11-24T10:50"));
    await cmd("update INC-1", "/outage");
    const upd1 = await opened(3);
    await submit(
      viewSubmission(
        upd1,
        { stage: "select:diagnostic", nextAction: "vérifier le stockage", estimate: "12:30" },
        "V-UPD1",
        ALICE,
      ),
    );
    await until(outageHas("updated"), "update 1");
    await settle();
    // 11:40 the owner's reminder; 11:50 nothing posted: "no change" keeps the promise.
    await at("2026-11-24T11:40");
    await at("2026-11-24T11:50");
    // 12:10 a later estimate: the delay message.
    h.r.clock.set(paris("2026-11-24T12:10"));
    await cmd("update INC-1", "/outage");
    const upd2 = await opened(4);
    await submit(
      viewSubmission(
        upd2,
        {
          stage: "select:log_analysis",
          nextAction: "lire les journaux",
          blocker: "accès datacenter",
          estimate: "14:00",
        },
        "V-UPD2",
        ALICE,
      ),
    );
    await until(outageHas("updated", 2), "update 2");
    await settle();

    // ── 12:15 @Relais T-1 in the helpdesk channel: the three-part answer in the thread.
    h.r.clock.set(paris("2026-11-24T12:15"));
    await mention("UCAROL", "<@UBOT> T-1", "12.0");
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.postMessage" && x.body.thread_ts === "12.0"),
      "mention answer",
    );
    await settle();

    // ── 12:20 escalation: the facts come pre-filled from the timelines.
    h.r.clock.set(paris("2026-11-24T12:20"));
    await cmd("T-1", "/escalate");
    const esc = await opened(5);
    const facts = esc.blocks.find((b) => b.block_id === "facts")!.element!.initial_value!;
    await submit(
      viewSubmission(
        esc,
        {
          type: "select:technical",
          direction: "select:functional",
          targetTeam: "Messagerie N3",
          why: "Seul le N3 administre le stockage Exchange",
          request: "Identifier la cause racine et confirmer un ETA de correctif",
          urgency: "select:immediate",
          facts,
          impact: "200 utilisateurs",
          recommendation: "A : redémarrer le nœud ce soir ; B : basculer sur le nœud de secours maintenant",
        },
        "V-ESC",
        ALICE,
      ),
    );
    await until(hasEvent(1, "escalated"), "escalated");
    await settle();
    // Left empty, the note's next update is the outage's promised one (13:10).
    expect((await h.r.relais.services.escalations.get(1)).nextUpdateAt.toMillis()).toBe(
      paris("2026-11-24T13:10").toMillis(),
    );
    // 12:50 nobody acknowledged (P1: 30 min): a follow-up in the note's thread.
    await at("2026-11-24T12:50");
    // 12:55 Bob acknowledges from the note's button.
    h.r.clock.set(paris("2026-11-24T12:55"));
    await h.interact(
      blockAction(
        "escalation_ack",
        "1",
        { channel: { id: "C-ESC", name: "escalades" }, response_url: h.slack.responseUrl("ack") },
        BOB,
      ),
    );
    const ackForm = await opened(6);
    await submit(viewSubmission(ackForm, { eta: "13:30" }, "V-ACK", BOB));
    await until(hasEvent(1, "escalation_acknowledged"), "acknowledged");
    await settle();
    await at("2026-11-24T13:00");
    // 13:00 Carol decides: option B, Dan the new owner.
    await h.interact(
      blockAction(
        "escalation_decide",
        "1",
        { channel: { id: "C-ESC", name: "escalades" }, response_url: h.slack.responseUrl("decide") },
        CAROL,
      ),
    );
    const decideForm = await opened(7);
    await submit(
      viewSubmission(
        decideForm,
        { option: "B", rationale: "Le nœud de secours tient la charge", owner: `<@${DAN.id}>` },
        "V-DECIDE",
        CAROL,
      ),
    );
    await until(hasEvent(1, "decided"), "decided");
    await settle();
    // 13:02 Dan accepts; 13:05 Dan announces.
    h.r.clock.set(paris("2026-11-24T13:02"));
    await cmd("accept T-1", "/owner", DAN);
    await until(hasEvent(1, "handover_accepted"), "accepted");
    await settle();
    // One voice: Alice owned the outage declared from T-1, so it follows the ticket to Dan.
    expect((await h.r.relais.services.outages.get(1)).ownerName).toBe("dan");
    h.r.clock.set(paris("2026-11-24T13:05"));
    await cmd("announce E-1", "/escalate", DAN);
    await until(hasEvent(1, "decision_announced"), "announced");
    await settle();
    // 13:08 restoration.
    h.r.clock.set(paris("2026-11-24T13:08"));
    const resolver = DAN;
    await cmd("resolve INC-1", "/outage", resolver);
    const resForm = await opened(8);
    await submit(
      viewSubmission(
        resForm,
        { whatHappened: "Disque du nœud 1 saturé", result: "Rétabli par bascule" },
        "V-RES",
        resolver,
      ),
    );
    await h.slack.waitFor((c) => c.some((x) => x.method === "files.completeUploadExternal"), "report attached");
    await settle();
    // 13:10 the ticket's owner resolves it; 13:20 the requester confirms.
    h.r.clock.set(paris("2026-11-24T13:10"));
    await cmd("resolve T-1 fixed bascule sur le nœud de secours", "/ticket", DAN);
    await until(hasEvent(1, "resolved"), "T-1 resolved");
    await settle();
    h.r.clock.set(paris("2026-11-24T13:20"));
    await cmd("confirm T-1", "/ticket", { id: ANA, username: "ana", name: "ana", team_id: "T1" });
    await until(hasEvent(1, "confirmed"), "confirmed");
    await settle();
    await cmd("report INC-1", "/outage", resolver, { response_url: h.slack.responseUrl("report") });
    await h.slack.waitFor((c) => c.some((x) => x.method === "response/report"), "report");

    // ── Each affected channel: every post once, in order, at its injected time.
    const affected = [
      "10:05 🚨 INC-1 — Messagerie indisponible au siège. Toutes nos excuses : Exchange est perturbé (tout le siège). Priorité P1.\nEn attendant : pas de contournement pour l’instant\nResponsable : alice. Prochain point : 11:05 (heure de Paris), même sans résolution.",
      "10:50 🔄 INC-1 — Étape : diagnostic. Blocage : —. Prochaine action : vérifier le stockage. Prochain point : 11:50 (heure de Paris).\nEstimation de rétablissement : 12:30 (une estimation, pas un engagement).",
      "11:50 ⏱️ INC-1 — Pas de changement depuis 10:50 (heure de Paris). Prochain point à 12:50.\nÉtape : diagnostic. Bloqué par : —.",
      "12:10 ⏳ INC-1 — Messagerie indisponible au siège : nouveau délai\n• Nous avions annoncé un rétablissement vers 12:30 (heure de Paris) ; ce n’est pas encore le cas.\n• Cause générale : le diagnostic a révélé un point supplémentaire à vérifier.\n• Action en cours : analyse des logs — lire les journaux\n• Nouvelle estimation : 14:00. Prochain point : 13:10, même si ce n’est pas résolu.",
      "12:20 ℹ️ INC-1 (T-1) — Une équipe spécialisée (Messagerie N3) est impliquée. Prochain point inchangé : 13:10 (heure de Paris). Votre contact reste alice.",
      "13:05 📣 T-1 — Décision : basculer sur le nœud de secours maintenant. Le nœud de secours tient la charge. dan est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
      "13:08 ✅ INC-1 — Messagerie indisponible au siège : service rétabli. Rétabli par bascule. Merci de votre patience.\nLe rapport d’incident : /outage rapport INC-1",
    ];
    expect(got("C-A")).toEqual(affected);
    expect(got("C-B")).toEqual(affected);
    // The incident room: its pinned live summary, then the outage's own posts (the escalation line and
    // the decision go to the affected channels only).
    const inRoom = got(ROOM);
    expect(inRoom[0]).toMatch(/^10:05 INC-1 — Messagerie indisponible au siège \(P1, en cours\)/);
    expect(inRoom.slice(1)).toEqual(affected.filter((p) => !/^(12:20|13:05) /.test(p)));
    // ── Each person: the requester (acknowledgement, the outage's updates, the resolution), the owner
    // (reminders, the decision to announce), the new owner (the handover). Nobody else is written to.
    const ana = got(ANA);
    expect(ana.map((m) => m.slice(0, 5))).toEqual(["10:00", "10:05", "10:50", "12:10", "13:05", "13:08", "13:10"]);
    expect(ana[0]).toContain(
      "votre demande est enregistrée sous la référence T-1 : « Messagerie indisponible au siège »",
    );
    // The requester hears the outage as the channels did: announcement, updates (not the no-change), restoration.
    const followed = (p: string) =>
      `${p.slice(0, 6)}Votre demande T-1 est concernée par INC-1. Voici le dernier point :\n${p.slice(6)}`;
    expect(ana.slice(1, 4)).toEqual([affected[0]!, affected[1]!, affected[3]!].map(followed));
    // The decision, announced once by the new owner: privately to the requester too, as the channels read it.
    expect(ana[4]).toBe(affected[5]);
    expect(ana[5]).toBe(followed(affected[6]!));
    expect(ana[6]).toContain(
      "votre demande T-1 est traitée — résultat : résolu. Ce qui a été fait : bascule sur le nœud de secours.",
    );
    expect(ana[6]).toContain("/ticket confirmer T-1");
    expect(ana[6]).toContain(
      "clos automatiquement ven. 27 nov. 13:10 (heure de Paris) ; pour le rouvrir : /ticket rouvrir T-1.",
    );
    expect(got("U-ALICE")).toEqual([
      "11:40 ⏰ Rappel : le point de INC-1 est promis à 11:50 (heure de Paris) (<#C-A>, <#C-B>). Sans nouvelle de votre part, « pas de changement » partira à l’heure.",
      "13:00 ⏰ Rappel : le point de INC-1 est promis à 13:10 (heure de Paris) (<#C-A>, <#C-B>). Sans nouvelle de votre part, « pas de changement » partira à l’heure.",
      "13:00 ⚖️ E-1 est tranchée : annoncez la décision une fois au demandeur avec /escalate announce E-1 (T-1).",
    ]);
    // The proposal names the current owner as staying responsible, not the manager who proposed it.
    expect(got(DAN.id)).toEqual([
      "13:00 🤝 carol vous propose de devenir responsable de T-1 (Messagerie indisponible au siège). Tant que vous n’avez pas accepté, alice reste responsable.",
    ]);
    const people = new Set(journal.filter((j) => /^U/.test(j.channel)).map((j) => j.channel));
    expect([...people].sort()).toEqual([ANA, "U-ALICE", DAN.id].sort());

    // ── The escalation note's thread: follow-up, acknowledgement, decision, each once, in order.
    // At the top of the escalation channel, the note only: the clicks on it are confirmed privately.
    const top = journal.filter((j) => j.channel === "C-ESC" && !j.thread);
    expect(top.map((j) => j.at)).toEqual(["12:20"]);
    const noteTs = h.slack.posted.find((p) => p.channel === "C-ESC" && !p.thread_ts)!.ts;
    const thread = journal.filter((j) => j.channel === "C-ESC" && j.thread === noteTs);
    expect(thread.map((j) => j.at)).toEqual(["12:50", "12:55", "13:00"]);
    expect(thread[0]!.text).toBe(
      "🔔 Relance 1 : E-1 attend toujours la confirmation de prise en charge de Messagerie N3 ; demande envoyée à 12:20 (heure de Paris).",
    );
    expect(thread[1]!.text).toBe(
      "✅ bob prend en charge E-1 ; retour promis à 13:30 (heure de Paris). alice reste l’unique point de contact du demandeur jusqu’à une passation acceptée.",
    );
    expect(thread[2]!.text).toContain("carol tranche E-1 : option B — basculer sur le nœud de secours maintenant");

    // ── The facts were pre-filled from the timelines of the ticket and its outage.
    expect(facts).toBe(
      [
        "Heures en Europe/Paris.",
        "mar. 24 nov. 10:00 — T-1 · ouvert par alice : Messagerie indisponible au siège",
        "mar. 24 nov. 10:00 — T-1 · T-2 rattaché ici par alice",
        "mar. 24 nov. 10:05 — T-1 · priorité P3 → P1 (alice : 200 utilisateurs bloqués, service indisponible)",
        "mar. 24 nov. 10:05 — T-1 · lié à INC-1 (annonce aux canaux concernés)",
        "mar. 24 nov. 10:05 — INC-1 · panne déclarée par alice (P1) : Exchange",
        "mar. 24 nov. 10:50 — INC-1 · point de alice : diagnostic, vérifier le stockage",
        "mar. 24 nov. 11:50 — INC-1 · pas de changement, point tenu à l’heure",
        "mar. 24 nov. 12:10 — INC-1 · point de alice : analyse des logs, lire les journaux (bloqué par : accès datacenter)",
      ].join("\n"),
    );

    // ── During the outage, @Relais T-1 answered in the mention's thread with the outage's stage and next update.
    expect(journal.filter((j) => j.thread === "12.0").map((j) => `${j.at} ${j.text}`)).toEqual([
      "12:15 T-1 — État : pris en charge, analyse des logs. Prochaine étape : lire les journaux. Prochain point : 13:10 (heure de Paris).",
    ]);
    // The tickets' first response was met by the announcement (10:05), not overdue: no longer new.
    expect((await h.r.relais.services.tickets.get(1)).firstResponseAt?.toMillis()).toBe(
      paris("2026-11-24T10:05").toMillis(),
    );
    const t2 = await h.r.relais.services.tickets.get(2);
    expect(t2.firstResponseAt?.toMillis()).toBe(paris("2026-11-24T10:05").toMillis());
    expect(t2.status).toBe("acknowledged");
    expect((await h.r.relais.services.outages.get(1)).ownerName).toBe("dan");

    // ── The report: the merged chronology, in order, and the duration from the start of impact.
    const report = textOf(h.slack.of("response/report")[0]!.body);
    const chronology = [
      "- mar. 24 nov. 10:00 — T-1 ouvert par alice (P3)",
      "- mar. 24 nov. 10:00 — T-2 ouvert par alice (P3)",
      "- mar. 24 nov. 10:00 — T-2 rattaché à T-1",
      "- mar. 24 nov. 10:05 — T-1 : priorité P3 → P1 (200 utilisateurs bloqués, service indisponible)",
      "- mar. 24 nov. 10:05 — panne déclarée par alice (P1)",
      "- mar. 24 nov. 10:05 — T-1 lié à la panne",
      "- mar. 24 nov. 10:05 — T-2 lié à la panne",
      "- mar. 24 nov. 10:50 — point de alice (à l’heure) : diagnostic, vérifier le stockage (blocage : —)",
      "- mar. 24 nov. 11:50 — pas de changement, point tenu à l’heure",
      "- mar. 24 nov. 12:10 — point de alice (à l’heure) : analyse des logs, lire les journaux (blocage : accès datacenter)",
      "- mar. 24 nov. 12:20 — T-1 : escalade vers Messagerie N3 par alice",
      "- mar. 24 nov. 12:50 — T-1 : relance de l’escalade sans accusé",
      "- mar. 24 nov. 12:55 — T-1 : escalade prise en charge par bob",
      "- mar. 24 nov. 13:00 — T-1 : décision de carol (B — basculer sur le nœud de secours maintenant)",
      "- mar. 24 nov. 13:02 — T-1 : passation acceptée, dan responsable",
      "- mar. 24 nov. 13:02 — panne : passation à dan",
      "- mar. 24 nov. 13:05 — T-1 : décision annoncée par dan",
      "- mar. 24 nov. 13:08 — service rétabli (dan)",
      "- mar. 24 nov. 13:10 — T-1 résolu par dan",
      "- mar. 24 nov. 13:20 — T-1 : résolution confirmée par ana",
    ];
    let from = 0;
    for (const line of chronology) {
      const found = report.indexOf(line, from);
      expect(found, `${line}\n--- in ---\n${report}`).toBeGreaterThan(-1);
      from = found + 1;
    }
    expect(report).toContain("Début de l’impact : mar. 24 nov. 09:40 (« depuis » de T-1 : depuis 09h40)");
    expect(report).toContain("Rétablissement : mar. 24 nov. 13:08. Durée : 3 h 28 min.");
    expect((await timeline(1)).map((e) => e.kind)).toEqual([
      "created",
      "child_linked",
      "priority_changed",
      "outage_linked",
      "followed_up",
      "escalated",
      "escalation_follow_up",
      "escalation_acknowledged",
      "decided",
      "handover_proposed",
      "handover_accepted",
      "decision_announced",
      "resolved",
      "confirmed",
    ]);
  });
});
