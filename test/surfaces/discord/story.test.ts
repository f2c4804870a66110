import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { button, type ChosenUsers, chatInput, modalSubmit, type Who } from "../../support/discord-gateway.ts";
import { dmChannelOf } from "../../support/discord-api.ts";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

/**
 * Issue 12 on Discord: one bad morning played end to end through interaction payloads as Discord
 * sends them, asserting on what the fake Discord REST recorded (PRODUCT.md "One story").
 */

const COMPTA = "200000000000000002";
const ESC = "500000000000000001";
const MANAGER_ROLE = "600000000000000001";

const ALICE: Who = { userId: "300000000000000001", username: "alice" };
const BOB: Who = { userId: "300000000000000002", username: "bob" };
/** Bob and Carol click the buttons of the escalation note, in the escalation channel. */
const BOB_ESC: Who = { ...BOB, channelId: "500000000000000001" };
const ANA: Who = { userId: "300000000000000003", username: "ana" };
const DAN: Who = { userId: "300000000000000004", username: "dan" };
const CAROL: Who = {
  userId: "300000000000000009",
  username: "carol",
  roles: [MANAGER_ROLE],
  channelId: "500000000000000001",
};
/** The DM channel the fake Discord opens for a user (POST /users/@me/channels). */
const dm = (who: Who) => dmChannelOf(who.userId!);

let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness({ policy: withEscalation(ESC, { role: MANAGER_ROLE }) });
});
afterEach(() => h.close());

/** Every message the bot posted, stamped with the injected time at which it went out. */
interface Stamped {
  at: string;
  channel: string;
  text: string;
  allowedMentions: unknown;
}
let seen = 0;
const log: Stamped[] = [];

function textOf(body: Record<string, unknown>): string {
  const embeds = (body.embeds ?? []) as {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
  }[];
  const parts = [body.content as string | undefined];
  for (const e of embeds) parts.push(e.title, e.description, ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`));
  return parts.filter(Boolean).join("\n");
}

/** Stamps the posts the fake Discord received since the last call with the clock's time. */
function stamp(): void {
  const at = h.r.clock.now().setZone("Europe/Paris").toFormat("HH:mm");
  for (const c of h.discord.calls.slice(seen)) {
    const m = /^\/channels\/(\d+)\/messages$/.exec(c.path);
    if (c.method === "POST" && m)
      log.push({ at, channel: m[1]!, text: textOf(c.body), allowedMentions: c.body.allowed_mentions });
  }
  seen = h.discord.calls.length;
}

async function at(iso: string): Promise<void> {
  h.r.clock.set(paris(iso));
  await h.r.relais.scheduler.tick();
  await h.dispatcher.flush();
  stamp();
}

async function settle(): Promise<void> {
  await h.dispatcher.flush();
  stamp();
}

const modals = () => h.callbacks().filter((c) => c.type === 9);
async function nextModal(): Promise<Record<string, unknown>> {
  const n = modals().length;
  await h.discord.waitFor(() => modals().length === n + 1, `modal ${n + 1}`);
  return modals().at(-1)!.data!;
}
/** Waits for the private answer (an edit of the deferred reply, or an immediate reply). */
async function answered(n: number): Promise<string> {
  await h.discord.waitFor(() => h.edits().length === n, `answer ${n}`);
  return h.edits()[n - 1]!;
}
let answers = 0;
async function run(payload: unknown): Promise<string> {
  h.feed(payload);
  const a = await answered(++answers);
  await settle();
  return a;
}
/** Feeds a modal step and waits for its "Continue" reply; returns the next modal after clicking it. */
async function step(
  customId: string,
  fields: Record<string, string | string[] | ChosenUsers>,
  who: Who,
): Promise<Record<string, unknown>> {
  const n = h.callbacks().length;
  h.feed(modalSubmit(customId, fields, who));
  await h.discord.waitFor(() => h.callbacks().length === n + 1, "step saved");
  const draft = customId.split(":")[2];
  h.feed(button(`relais:form:next:${draft}`, who));
  return nextModal();
}

describe("Discord: one story (issue 12)", () => {
  it("GIVEN a bad morning played on Discord THEN every channel and person gets each post once, in order, at the injected times, and the report tells the whole story", async () => {
    seen = 0;
    log.length = 0;
    // 10:00 Alice opens T-1 with the form; the requester is chosen with the user select.
    h.feed(chatInput("ticket", "new", {}, ALICE));
    let m = await nextModal();
    m = await step(
      m.custom_id as string,
      {
        title: "Messagerie indisponible au siège",
        requester: { users: [ANA] },
        department: "Siège",
        workstation: "",
        impact: [],
      },
      ALICE,
    );
    m = await step(
      m.custom_id as string,
      {
        urgency: [],
        workaround: [],
        workaroundText: "Webmail via https://mail.exemple.fr",
        since: "depuis 09h40",
        changed: "",
      },
      ALICE,
    );
    h.feed(
      modalSubmit(
        m.custom_id as string,
        { reproducible: "oui", scope: "tout le siège", errorMessage: "", profile: [] },
        ALICE,
      ),
    );
    expect(await answered(++answers)).toContain("📨 Accusé de réception envoyé à Ana en message privé.");
    await settle();

    // 10:02 Bob opens T-2 inline; 10:03 Alice links it under T-1.
    await at("2026-11-24T10:02");
    expect(await run(chatInput("ticket", "new", { title: "Outlook ne reçoit plus rien" }, BOB))).toContain(
      "✅ T-2 ouvert",
    );
    await at("2026-11-24T10:03");
    expect(await run(chatInput("ticket", "link", { ref: "T-2", parent: "T-1" }, BOB))).toContain(
      "🔗 T-2 rattaché à T-1",
    );
    await at("2026-11-24T10:05");
    expect(
      await run(
        chatInput(
          "ticket",
          "priority",
          { ref: "T-1", priority: "P1", reason: "200 utilisateurs bloqués, service indisponible" },
          ALICE,
        ),
      ),
    ).toContain("priorité P3 → P1 car 200 utilisateurs bloqués, service indisponible");

    // 10:06 the card's Declare outage button.
    await at("2026-11-24T10:06");
    h.feed(button("relais:b:ticket_declare:1", ALICE));
    m = await nextModal();
    m = await step(
      m.custom_id as string,
      {
        title: "Messagerie indisponible au siège",
        services: "Exchange, Outlook",
        impactText: "tout le siège",
        impact: ["high"],
        urgency: ["high"],
      },
      ALICE,
    );
    h.feed(
      modalSubmit(
        m.custom_id as string,
        {
          workaround: ["none"],
          workaroundText: "Webmail via https://mail.exemple.fr",
          channels: `${CHANNEL}, ${COMPTA}`,
        },
        ALICE,
      ),
    );
    expect(await answered(++answers)).toContain("🔗 INC-1 est lié à T-1");
    await settle();

    await at("2026-11-24T10:30");
    const during = await run(chatInput("ticket", "show", { ref: "T-1" }, BOB));
    // During the outage the ticket's summary shows the outage's stage and next update.
    expect(during).toContain("Statut suivi par INC-1");
    expect(during).toContain("Prochain point : 11:06.");
    expect(during).toContain("Ana · Siège");

    // 10:50 the first update, with an estimate (the form: stage, next action, blocker, cause, estimate).
    await at("2026-11-24T10:50");
    h.feed(chatInput("outage", "update", { ref: "INC-1" }, ALICE));
    m = await nextModal();
    m = await step(
      m.custom_id as string,
      {
        stage: ["diagnostic"],
        nextAction: "vérifier le stockage",
        blocker: "",
        cause: "",
        estimate: "12:30",
      },
      ALICE,
    );
    h.feed(modalSubmit(m.custom_id as string, { nextUpdate: "", reason: "" }, ALICE));
    expect(await answered(++answers)).toContain("Prochain point : 11:50 (heure de Paris).");
    await settle();
    // 11:50 the owner misses the promised update: "no change" fires.
    await at("2026-11-24T11:40");
    await at("2026-11-24T11:50");
    // 12:10 a later estimate: the delay message.
    await at("2026-11-24T12:10");
    h.feed(chatInput("outage", "update", { ref: "INC-1" }, ALICE));
    m = await nextModal();
    m = await step(
      m.custom_id as string,
      {
        stage: ["log_analysis"],
        nextAction: "purger la file d’attente du nœud 2",
        blocker: "accès datacenter",
        cause: "disque saturé sur le nœud 2",
        estimate: "13:30",
      },
      ALICE,
    );
    h.feed(modalSubmit(m.custom_id as string, { nextUpdate: "", reason: "" }, ALICE));
    expect(await answered(++answers)).toContain("Prochain point : 13:10 (heure de Paris).");
    await settle();

    // 12:15 escalation from the ticket: the facts come pre-filled from the timelines.
    await at("2026-11-24T12:15");
    h.feed(chatInput("escalate", "note", { ref: "T-1" }, ALICE));
    m = await nextModal();
    m = await step(
      m.custom_id as string,
      {
        type: ["technical"],
        direction: ["functional"],
        targetTeam: "Messagerie N3",
        why: "Seul le N3 administre le stockage Exchange",
        request: "Identifier la cause de la saturation et confirmer un délai de correctif",
      },
      ALICE,
    );
    // The facts come pre-filled from the ticket's and the outage's timelines (times and events).
    const prefilled = (m as { components: { component: { custom_id: string; value?: string } }[] }).components.find(
      (c) => c.component.custom_id === "facts",
    )?.component.value;
    // Links read as sentences; Bob's `/ticket show` at 10:30 is not a fact.
    expect(prefilled).toBe(
      [
        "Heures en Europe/Paris.",
        "mar. 24 nov. 10:00 — T-1 · ouvert par Alice : Messagerie indisponible au siège",
        "mar. 24 nov. 10:03 — T-1 · T-2 rattaché ici par Bob",
        "mar. 24 nov. 10:05 — T-1 · priorité P3 → P1 (Alice : 200 utilisateurs bloqués, service indisponible)",
        "mar. 24 nov. 10:06 — T-1 · lié à INC-1 (annonce aux canaux concernés)",
        "mar. 24 nov. 10:06 — INC-1 · panne déclarée par Alice (P1) : Exchange, Outlook",
        "mar. 24 nov. 10:50 — INC-1 · point de Alice : diagnostic, vérifier le stockage",
        "mar. 24 nov. 11:50 — INC-1 · pas de changement, point tenu à l’heure",
        "mar. 24 nov. 12:10 — INC-1 · point de Alice : analyse des logs, purger la file d’attente du nœud 2 (bloqué par : accès datacenter)",
      ].join("\n"),
    );
    expect(prefilled).not.toMatch(/child_linked|outage_linked|followed_up/);
    const facts = JSON.stringify(m);
    m = await step(
      m.custom_id as string,
      {
        urgency: ["immediate"],
        // Left empty: T-1 follows INC-1, so the note takes the outage's next update (13:10).
        nextUpdate: "",
        context: "",
        facts:
          (JSON.parse(facts) as { components: { component: { custom_id: string; value?: string } }[] }).components.find(
            (c) => c.component.custom_id === "facts",
          )?.component.value ?? "",
        evidence: "",
      },
      ALICE,
    );
    h.feed(
      modalSubmit(
        m.custom_id as string,
        {
          actionsTaken: "Redémarrage du service de transport",
          impact: "200 utilisateurs",
          deadline: "",
          recommendation: "A : attendre la purge ce soir ; B : basculer sur le nœud de secours maintenant",
        },
        ALICE,
      ),
    );
    expect(await answered(++answers)).toContain("📨 E-1 envoyée");
    await settle();

    // 12:45 silence for 30 min (P1): the follow-up in the note's thread.
    await at("2026-11-24T12:45");
    // 12:50 Bob acknowledges with the button (ETA form).
    await at("2026-11-24T12:50");
    h.feed(button("relais:b:escalation_ack:1", BOB_ESC));
    m = await nextModal();
    h.feed(modalSubmit(m.custom_id as string, { eta: "13:30" }, BOB_ESC));
    expect(await answered(++answers)).toContain(
      "Alice reste l’unique point de contact du demandeur jusqu’à une passation acceptée.",
    );
    await settle();
    // 12:55 Carol (manager role) decides, naming Dan.
    await at("2026-11-24T12:55");
    h.feed(button("relais:b:escalation_decide:1", CAROL));
    m = await nextModal();
    h.feed(
      modalSubmit(
        m.custom_id as string,
        { option: "B", rationale: "Le nœud de secours tient la charge", owner: `<@${DAN.userId}>` },
        CAROL,
      ),
    );
    expect(await answered(++answers)).toContain("Passation de T-1 proposée à");
    await settle();
    await at("2026-11-24T12:58");
    expect(await run(chatInput("owner", "accept", { ref: "T-1" }, DAN))).toContain(
      "Dan est désormais responsable de T-1",
    );
    await at("2026-11-24T13:00");
    expect(await run(chatInput("escalate", "announce", { ref: "E-1" }, DAN))).toContain(
      "Dan est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
    );
    await at("2026-11-24T13:05");
    const later = await run(chatInput("ticket", "show", { ref: "T-1" }, BOB));
    expect(later).toContain(
      "État : pris en charge, analyse des logs. Prochaine étape : purger la file d’attente du nœud 2. Prochain point : 13:10.",
    );
    expect(later).toContain('"name":"Bloqué par","value":"accès datacenter"');
    expect(later).toContain('"name":"Responsable","value":"Dan"');

    // 13:08 restoration by the outage's owner: Dan, since the outage followed T-1's handover.
    await at("2026-11-24T13:08");
    h.feed(chatInput("outage", "resolve", { ref: "INC-1" }, DAN));
    m = await nextModal();
    m = await step(
      m.custom_id as string,
      {
        whatHappened: "Disque saturé sur le nœud 2",
        result: "Service rétabli",
        prevention: "Alerte de remplissage à 80 %",
        followUp: "",
        followUpAction: "",
      },
      DAN,
    );
    // The follow-up section's owner and due date: none without an action.
    h.feed(modalSubmit(m.custom_id as string, { followUpOwner: { users: [] }, followUpDue: "" }, DAN));
    expect(await answered(++answers)).toContain("✅ INC-1 rétabli");
    await settle();
    await at("2026-11-24T13:10");
    expect(
      await run(
        chatInput("ticket", "resolve", { ref: "T-1", kind: "fixed", note: "bascule sur le nœud de secours" }, DAN),
      ),
    ).toContain("✔️ T-1 résolu");
    await at("2026-11-24T13:20");
    expect(await run(chatInput("ticket", "confirm", { ref: "T-1" }, ANA))).toContain("résolution confirmée par Ana");
    await at("2026-11-24T13:25");
    // The report is read by the outage's owner (Dan now) or a manager (PRODUCT "Authority").
    const report = JSON.parse(await run(chatInput("outage", "report", { ref: "INC-1" }, DAN))).embeds[0]
      .description as string;

    // Every message keeps allowed_mentions empty: nobody is pinged by user text.
    expect(log.filter((l) => JSON.stringify(l.allowedMentions) !== JSON.stringify({ parse: [] }))).toEqual([]);

    // Posts per channel and per person: each once, in order, at the injected times (first lines).
    const posts = (channel: string) =>
      log.filter((l) => l.channel === channel).map((l) => `${l.at} ${l.text.split("\n")[0]}`);
    const thread = async (ticket: number) => (await h.r.relais.store.threads.get(ticket, "discord"))!.messageId!;
    const noteThread = (await h.r.relais.store.outbox.sentMessageId("E-1:note"))!;
    const ANNOUNCED =
      "🚨 INC-1 — Messagerie indisponible au siège. Toutes nos excuses : Exchange, Outlook est perturbé (tout le siège). Priorité P1.";
    const UPDATE =
      "🔄 INC-1 — Étape : diagnostic. Blocage : —. Prochaine action : vérifier le stockage. Prochain point : 11:50 (heure de Paris).";
    const NO_CHANGE = "⏱️ INC-1 — Pas de changement depuis 10:50 (heure de Paris). Prochain point à 12:50.";
    const DELAY = "⏳ INC-1 — Messagerie indisponible au siège : nouveau délai";
    const SPECIALISTS =
      "ℹ️ INC-1 (T-1) — Une équipe spécialisée (Messagerie N3) est impliquée. Prochain point inchangé : 13:10 (heure de Paris). Votre contact reste Alice.";
    const DECISION = "📣 T-1 — Décision : basculer sur le nœud de secours maintenant.";
    const RESTORED =
      "✅ INC-1 — Messagerie indisponible au siège : service rétabli. Service rétabli Merci de votre patience.";
    const affected = [
      `10:06 ${ANNOUNCED}`,
      `10:50 ${UPDATE}`,
      `11:50 ${NO_CHANGE}`,
      `12:10 ${DELAY}`,
      `12:15 ${SPECIALISTS}`,
      `13:00 ${DECISION}`,
      `13:08 ${RESTORED}`,
    ];
    // #compta: exactly the outage's story.
    expect(posts(COMPTA).map((p) => p.slice(0, 6 + 60))).toEqual(affected.map((p) => p.slice(0, 6 + 60)));
    // #support (where the tickets and the outage were typed): the cards, the story, and Alice's public replies.
    expect(posts(CHANNEL).map((p) => p.slice(0, 6 + 60))).toEqual(
      [
        "10:00 T-1 · Messagerie indisponible au siège",
        "10:02 T-2 · Outlook ne reçoit plus rien",
        affected[0]!,
        `10:50 🔄 INC-1 : point en file d’envoi pour 2 canaux : <#${CHANNEL}>, <#${COMPTA}>. Prochain point : 11:50 (heure de Paris).`,
        affected[1]!,
        affected[2]!,
        `12:10 🔄 INC-1 : point en file d’envoi pour 2 canaux : <#${CHANNEL}>, <#${COMPTA}>. Prochain point : 13:10 (heure de Paris).`,
        affected[3]!,
        affected[4]!,
        affected[5]!,
        "13:08 ✅ INC-1 rétabli ; annonce en file d’envoi et rapport prêt (/outage rapport INC-1).",
        affected[6]!,
      ].map((p) => p.slice(0, 6 + 60)),
    );
    expect(log.find((l) => l.channel === COMPTA && l.text.startsWith("⏱️"))!.text).toContain(
      "Étape : diagnostic. Bloqué par : —.",
    );
    expect(log.find((l) => l.channel === COMPTA && l.text.startsWith("⏳"))!.text).toContain(
      "Nous avions annoncé un rétablissement vers 12:30 (heure de Paris) ; ce n’est pas encore le cas.",
    );
    // The decision, posted once per affected channel by the new owner, in words, with the next update.
    // The rationale is typed without a final full stop; it still reads as its own sentence.
    for (const channel of [CHANNEL, COMPTA])
      expect(log.filter((l) => l.channel === channel && l.text.includes("Décision")).map((l) => l.text)).toEqual([
        "📣 T-1 — Décision : basculer sur le nœud de secours maintenant. Le nœud de secours tient la charge. Dan est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
      ]);
    // T-1's thread: the ticket's life, the decision announced there too.
    expect(posts(await thread(1))).toEqual([
      "10:00 ✅ T-1 ouvert : « Messagerie indisponible au siège ». Priorité P3 (par défaut, à qualifier). Première réponse au plus tard 18:00 (heure de Paris).",
      "10:05 ↕️ T-1 : priorité P3 → P1 car 200 utilisateurs bloqués, service indisponible (critère : nombre d’utilisateurs touchés). Nouvelle échéance : 10:35 (heure de Paris).",
      `10:06 🚨 INC-1 déclaré. Annonce en file d’envoi pour 2 canaux : <#${CHANNEL}>, <#${COMPTA}> ; si un envoi échoue, je vous le dis en privé. Prochain point : 11:06 (heure de Paris).`,
      `12:15 📨 E-1 envoyée à <#${ESC}> : « Escalade - technique - Ana / Siège - 200 utilisateurs - immédiat - Ticket T-1 | 2026-11-24 12:15 Europe/Paris | Owner Alice ». Relance automatique si personne ne confirme. Vous restez le point de contact.`,
      "12:58 🤝 Dan a accepté : Dan est désormais responsable de T-1 et parle pour l’équipe.",
      "13:00 📣 T-1 — Décision : basculer sur le nœud de secours maintenant. Le nœud de secours tient la charge. Dan est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
      "13:10 ✔️ T-1 résolu (résolu). Le demandeur doit confirmer (/ticket confirmer T-1) ; sans réponse, clôture automatique le ven. 27 nov. 13:10 (heure de Paris).",
      "13:20 🔒 T-1 clos : résolution confirmée par Ana. Référence à conserver : T-1.",
    ]);
    expect(posts(await thread(2))).toEqual([
      "10:02 ✅ T-2 ouvert : « Outlook ne reçoit plus rien ». Priorité P3 (par défaut, à qualifier). Première réponse au plus tard mer. 25 nov. 08:02 (heure de Paris).",
      "10:03 🔗 T-2 rattaché à T-1 : il en suit désormais le statut.",
    ]);
    // The escalation channel: the note only; the discussion lives in its thread (Bob's and Carol's
    // clicks are confirmed to them privately, not posted a second time at the top).
    expect(posts(ESC).map((p) => p.slice(0, 40))).toEqual(
      [
        "12:15 Escalade - technique - Ana / Siège - 200 utilisateurs - immédiat - Ticket T-1 | 2026-11-24 12:15 Europe/Paris | Owner Alice",
      ].map((p) => p.slice(0, 40)),
    );
    // The note promises the outage's next update, the one the affected channels were given.
    expect(log.find((l) => l.channel === ESC && l.at === "12:15")!.text).toContain(
      "Prochain point au demandeur : 13:10.",
    );
    // The note's thread: the follow-up on silence, the acknowledgement naming the single contact, the decision.
    expect(posts(noteThread).map((p) => p.slice(0, 40))).toEqual(
      [
        "12:45 🔔 Relance 1 : E-1 attend toujours la confirmation de prise en charge de Messagerie N3 ; demande envoyée à 12:15 (heure de Paris).",
        "12:50 ✅ Bob prend en charge E-1 ; retour promis à 13:30 (heure de Paris). Alice reste l’unique point de contact du demandeur jusqu’à une passation acceptée.",
        "12:55 ⚖️ Carol tranche E-1 : option B — basculer sur le nœud de secours maintenant",
      ].map((p) => p.slice(0, 40)),
    );
    // People, privately. Ana (the requester): acknowledgement, the outage as her channels heard it —
    // the announcement, the updates (not the no-change), the restoration — then the resolution.
    expect(posts(dm(ANA)).map((p) => p.slice(0, 60))).toEqual(
      [
        "10:00 Bonjour Ana, votre demande est enregistrée sous la référence T-1 : « Messagerie indisponible au siège ». Priorité P3 (par défaut, à qualifier). Première réponse au plus tard 18:00 (heure de Paris).",
        `10:06 ${ANNOUNCED}`,
        `10:50 ${UPDATE}`,
        `12:10 ${DELAY}`,
        "13:00 📣 T-1 — Décision : basculer sur le nœud de secours maintenant. Le nœud de secours tient la charge. Dan est désormais votre référent. Prochain point : 13:10 (heure de Paris).",
        `13:08 ${RESTORED}`,
        "13:10 Bonjour Ana, votre demande T-1 est traitée — résultat : résolu.",
      ].map((p) => p.slice(0, 60)),
    );
    for (const hhmm of ["10:06", "10:50", "12:10", "13:08"])
      expect(log.find((l) => l.channel === dm(ANA) && l.at === hhmm)!.text).toContain(
        "Votre demande T-1 est concernée par INC-1. Voici le dernier point :",
      );
    expect(log.find((l) => l.channel === dm(ANA) && l.at === "13:10")!.text).toContain(
      "Sans réponse, le ticket sera clos automatiquement ven. 27 nov. 13:10 (heure de Paris) ; pour le rouvrir : /ticket rouvrir T-1.",
    );
    // Alice (the outage's owner until Dan accepted T-1): the reminder before her promised update, and
    // the decision to announce.
    expect(posts(dm(ALICE)).map((p) => p.slice(0, 60))).toEqual(
      [
        "11:40 ⏰ Rappel : le point de INC-1 est promis à 11:50 (heure de Paris)",
        "12:55 ⚖️ E-1 est tranchée : annoncez la décision une fois au demandeur avec /escalate announce E-1 (T-1).",
      ].map((p) => p.slice(0, 60)),
    );
    // Dan: the handover proposal, once; then, the outage having followed T-1 to him, its reminder.
    expect(posts(dm(DAN)).map((p) => p.slice(0, 60))).toEqual(
      [
        "12:55 🤝 Carol vous propose de devenir responsable de T-1 (Messagerie indisponible au siège).",
        "13:00 ⏰ Rappel : le point de INC-1 est promis à 13:10 (heure de Paris)",
      ].map((p) => p.slice(0, 60)),
    );
    // The proposal names the current owner (Alice) as staying responsible, not the manager who proposed it.
    expect(log.find((l) => l.channel === dm(DAN))!.text).toBe(
      "🤝 Carol vous propose de devenir responsable de T-1 (Messagerie indisponible au siège). Tant que vous n’avez pas accepté, Alice reste responsable.",
    );
    // One voice: the outage followed T-1's handover; the linked T-2 was answered by the announcement.
    expect((await h.r.relais.services.outages.get(1)).ownerName).toBe("Dan");
    const t2 = await h.r.relais.services.tickets.get(2);
    expect(t2.status).toBe("acknowledged");
    expect(t2.firstResponseAt?.toMillis()).toBe(paris("2026-11-24T10:06").toMillis());
    // Nobody else was written to: no other DM, no other channel.
    expect(new Set(log.map((l) => l.channel))).toEqual(
      new Set([CHANNEL, COMPTA, ESC, noteThread, await thread(1), await thread(2), dm(ANA), dm(ALICE), dm(DAN)]),
    );

    // The report: the merged chronology, in order, and the duration from the start of impact.
    expect(report).toContain(
      "Début de l’impact : mar. 24 nov. 09:40 (« depuis » de T-1 : depuis 09h40). Rétablissement : mar. 24 nov. 13:08. Durée : 3 h 28 min.",
    );
    const chronology = report.slice(report.indexOf("## Chronologie"), report.indexOf("## Personnes"));
    expect(chronology.trim().split("\n")).toEqual([
      "## Chronologie",
      "- mar. 24 nov. 10:00 — T-1 ouvert par Alice (P3)",
      "- mar. 24 nov. 10:02 — T-2 ouvert par Bob (P3)",
      "- mar. 24 nov. 10:03 — T-2 rattaché à T-1",
      "- mar. 24 nov. 10:05 — T-1 : priorité P3 → P1 (200 utilisateurs bloqués, service indisponible)",
      "- mar. 24 nov. 10:06 — panne déclarée par Alice (P1)",
      "- mar. 24 nov. 10:06 — T-1 lié à la panne",
      "- mar. 24 nov. 10:06 — T-2 lié à la panne",
      "- mar. 24 nov. 10:50 — point de Alice (à l’heure) : diagnostic, vérifier le stockage (blocage : —)",
      "- mar. 24 nov. 11:50 — pas de changement, point tenu à l’heure",
      "- mar. 24 nov. 12:10 — point de Alice (à l’heure) : analyse des logs, purger la file d’attente du nœud 2 (blocage : accès datacenter)",
      "- mar. 24 nov. 12:15 — T-1 : escalade vers Messagerie N3 par Alice",
      "- mar. 24 nov. 12:45 — T-1 : relance de l’escalade sans accusé",
      "- mar. 24 nov. 12:50 — T-1 : escalade prise en charge par Bob",
      "- mar. 24 nov. 12:55 — T-1 : décision de Carol (B — basculer sur le nœud de secours maintenant)",
      // Defect still present: the proposal keeps the raw Discord mention Carol typed, not Dan's name.
      `- mar. 24 nov. 12:55 — T-1 : passation proposée à <@${DAN.userId}>`,
      "- mar. 24 nov. 12:58 — T-1 : passation acceptée, Dan responsable",
      "- mar. 24 nov. 12:58 — panne : passation à Dan",
      "- mar. 24 nov. 13:00 — T-1 : décision annoncée par Dan",
      "- mar. 24 nov. 13:08 — service rétabli (Dan)",
      "- mar. 24 nov. 13:10 — T-1 résolu par Dan",
      "- mar. 24 nov. 13:20 — T-1 : résolution confirmée par Ana",
    ]);
    expect(report).toContain("- Bob (responsable, destinataire de l’escalade)");
    expect(report).toContain("- Carol (manager qui a tranché)");
  });
});
