import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { button, chatInput, modalSubmit } from "../support/discord-gateway.ts";
import { sendToBot, slackSignature } from "../support/fake-slack.ts";
import { type DiscordHarness, startDiscordHarness } from "../surfaces/discord/harness.ts";
import { startSlackHarness, viewSubmission, type SlackHarness } from "../surfaces/slack/harness.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice } from "../support/fixtures.ts";

/**
 * Hostile input across the shell, Slack and Discord: each case gets a clear refusal or a correct
 * result, and the database holds no partial record afterwards. The suite prints its tally.
 */
const tally = { ran: 0, held: 0 };
function count(held: boolean) {
  tally.ran++;
  if (held) tally.held++;
}
afterAll(() => {
  process.stdout.write(`hostile input: ${tally.ran} cases ran, ${tally.held} held\n`);
});

/** Everything a command could have half-written. */
async function snapshot(r: TestRelais) {
  const { tickets } = await r.relais.services.tickets.list(alice, "all", 1000);
  const events = await Promise.all(tickets.map((t) => r.relais.store.tickets.timeline(t.id)));
  const outages = await r.relais.services.outages.ongoing();
  return JSON.stringify({
    tickets,
    events,
    outages,
    unsent: await r.relais.store.outbox.countUnsent(),
    jobs: await r.relais.store.jobs.countPending(),
  });
}

const long = (n: number) => "x".repeat(n);

describe("hostile input in the command layer (shell)", () => {
  let r: TestRelais;
  beforeEach(async () => {
    r = await startRelais();
    await r.say("/ticket Ticket de référence pour les essais");
  });
  afterEach(() => r.close());

  const refused: [string, string][] = [
    [`/ticket new ${long(10_000)}`, "title_too_long"],
    [`/ticket ${long(151)} y`, "title_too_long"],
    ["/ticket \u200B\u200B", "unknown_subcommand"],
    ["/ticket new \u202E\u200B\u0000", "field_required"],
    ["/ticket show T-99999999999", "invalid_reference"],
    ["/ticket show T--1", "invalid_reference"],
    ["/ticket show T-0", "ticket_not_found"],
    ["/ticket show T-1.5", "invalid_reference"],
    ["/ticket show ../../etc/passwd", "invalid_reference"],
    ["/ticket show T-1 ; DROP TABLE Ticket", "extra_argument"],
    ["/ticket lіst", "unknown_subcommand"],
    ["/ticket priority T-1 P1 <script>alert(1)</script>", "priority_reason_not_objective"],
    ["/ticket priority T-1 P1 le demandeur insiste très fort !!!", "priority_reason_not_objective"],
    ["/ticket priority T-1 p0 40 utilisateurs", "invalid_choice"],
    [`/ticket priority T-1 P1 40 utilisateurs ${long(2000)}`, "text_too_long"],
    [`/ticket wait T-1 requester ${long(1001)}`, "text_too_long"],
    ["/ticket wait T-1 nobody attente", "invalid_choice"],
    [`/ticket resolve T-1 fixed ${long(1001)}`, "text_too_long"],
    [`/ticket update T-1 diagnostic ${long(1001)}`, "text_too_long"],
    ["/ticket confirm T-1", "illegal_transition"],
    ["/ticket reopen T-1", "illegal_transition"],
    // (take has an optional reason now: a manager takes at once with one.)
    ["/ticket confirm T-1 T-1", "extra_argument"],
    ["/ticket list everything", "invalid_choice"],
    ["/outage update INC-1 diagnostic x", "outage_not_found"],
    ["/outage report INC-abc", "invalid_reference"],
    ["/escalate ack E-1 25:99", "invalid_time"],
    ["/escalate ack E-1 2026-02-30 10:00", "invalid_time"],
    ["/escalate decide E-1 A", "escalation_not_found"],
    ["/owner T-1 <@>", "invalid_person"],
    ["/owner accept T-1", "no_handover"],
    ["/ticket approve D-1", "draft_not_found"],
    ["/frobnicate", "unknown_command"],
    ["/tickets list", "unknown_command"],
  ];
  it.each(refused)("GIVEN %j THEN %s and nothing is written", async (line, code) => {
    const before = await snapshot(r);
    const reply = await r.say(line.length > 200 ? line : line);
    const held = reply.error === code && reply.ephemeral && (await snapshot(r)) === before;
    count(held);
    expect(reply.error).toBe(code);
    expect(await snapshot(r)).toBe(before);
  });

  const accepted: [string, (title: string) => boolean][] = [
    ["/ticket Imprimante 🖨️ bloquée 😡 au 2e", (t) => t === "Imprimante 🖨️ bloquée 😡 au 2e"],
    ["/ticket الطابعة لا تعمل في الطابق الثاني", (t) => t === "الطابعة لا تعمل في الطابق الثاني"],
    ["/ticket Titre \u202Eesrever\u202C caché", (t) => t === "Titre esrever caché"],
    ['/ticket \'; DROP TABLE "Ticket"; --', (t) => t === `'; DROP TABLE "Ticket"; --`],
    [
      "/ticket *gras* _italique_ <https://evil.example|clique> `code`",
      (t) => t.includes("<https://evil.example|clique>"),
    ],
    ["/ticket <!channel> @everyone @here panne", (t) => t === "<!channel> @everyone @here panne"],
    ["/ticket Messagerie\u0000 lente\u0007 le matin", (t) => t === "Messagerie lente le matin"],
    ["/ticket    espaces     multiples    ", (t) => t === "espaces multiples"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a title that looks like a template must stay text
    ["/ticket %s %d {title} ${process.env.HOME}", (t) => t === "%s %d {title} ${process.env.HOME}"],
    ["/ticket \uFEFFBOM en tête du titre", (t) => t === "BOM en tête du titre"],
  ];
  it.each(accepted)("GIVEN %j THEN a ticket with a clean, faithful title", async (line, check) => {
    const reply = await r.say(line);
    const t = reply.ticketId ? await r.relais.services.tickets.get(reply.ticketId) : undefined;
    const held = reply.error === undefined && t !== undefined && check(t.title);
    count(held);
    expect(reply.error).toBeUndefined();
    expect(check(t!.title)).toBe(true);
    expect((await r.relais.store.tickets.timeline(t!.id)).map((e) => e.kind)).toEqual(["created"]);
  });
});

describe("hostile input over Slack", () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(() => h.close());

  it("GIVEN malformed, forged, replayed or unknown requests THEN each is refused or ignored, and nothing is written", async () => {
    const before = await snapshot(h.r);
    const results: [string, boolean][] = [];
    const form = {
      command: "/ticket",
      text: "Panne VPN",
      user_id: "U1",
      user_name: "mallory",
      channel_id: "C1",
      team_id: "T1",
      response_url: h.slack.responseUrl(),
      trigger_id: "t",
    };
    const ts = Math.floor(Date.now() / 1000);
    // Malformed JSON in an interactivity payload.
    const bad = await sendToBot(h.url, { payload: "{not json" }, { secret: "test-signing-secret" });
    results.push(["malformed payload JSON", (bad.status >= 400 && bad.status < 500) || bad.status === 200]);
    // A replay with a stale timestamp (over 5 minutes).
    results.push([
      "stale replay",
      (await sendToBot(h.url, form, { secret: "test-signing-secret", timestamp: ts - 301 })).status === 401,
    ]);
    // A signature computed over another body (forged parameters).
    const body = new URLSearchParams({ ...form, user_id: "U-ADMIN" }).toString();
    const forged = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": slackSignature("test-signing-secret", ts, new URLSearchParams(form).toString()),
      },
      body,
    });
    results.push(["signature over another body", forged.status === 401]);
    // A timestamp that is not a number.
    results.push([
      "non-numeric timestamp",
      (await sendToBot(h.url, form, { secret: "test-signing-secret", timestamp: Number.NaN })).status === 401,
    ]);
    // An unknown action id and an unknown view callback: acknowledged or refused, never a crash.
    const unknownAction = await h.interact({
      type: "block_actions",
      user: { id: "U1" },
      team: { id: "T1" },
      api_app_id: "A1",
      actions: [{ action_id: "drop_tables", value: "1", type: "button", block_id: "b", action_ts: "1" }],
      trigger_id: "t",
    });
    results.push(["unknown action id", unknownAction.status < 500]);
    const tampered = await h.interact(
      viewSubmission({ callback_id: "relais_form", private_metadata: "{tampered" }, { title: "x" }, "V-TAMPER"),
    );
    results.push(["tampered private_metadata", tampered.status === 200]);
    const otherSub = await h.interact(
      viewSubmission(
        {
          callback_id: "relais_form",
          private_metadata: JSON.stringify({ command: "ticket", sub: "drop", channel: "C1", given: {} }),
        },
        { title: "x" },
        "V-OTHER",
      ),
    );
    results.push(["form for an unknown subcommand", otherSub.status === 200]);
    // Oversized text in a slash command.
    // The title's limit is the field's own check: refused in the acknowledgement itself.
    const huge = await h.command(`${long(20_000)} y`, { response_url: h.slack.responseUrl("huge") });
    results.push(["20,000-character command text", huge.status === 200 && huge.text.includes("caractères")]);
    await new Promise((r) => setTimeout(r, 200));
    const after = await snapshot(h.r);
    for (const [what, held] of results) {
      count(held);
      expect(held, what).toBe(true);
    }
    expect(after).toBe(before);
  });
});

describe("hostile input over Discord", () => {
  let h: DiscordHarness;
  beforeEach(async () => {
    h = await startDiscordHarness();
  });
  afterEach(() => h.close());

  const cases: [string, unknown, string][] = [
    ["an oversized title option", chatInput("ticket", "new", { title: long(5000) }), "caractères"],
    ["an unknown subcommand", chatInput("ticket", "drop_tables"), "ticket"],
    ["an unknown command", chatInput("nuke", "all"), "ticket"],
    ["a non-numeric ticket button", button("relais:b:ticket_take:abc"), "n’existe pas"],
    ["a stale form button", button("relais:form:next:999"), "n’existe plus"],
    ["a modal for an unknown draft", modalSubmit("relais:form:424242:0", { title: "x" }), "n’existe plus"],
    ["a bad reference option", chatInput("ticket", "show", { ref: "'; DROP" }), "référence"],
    ["a routed button to an unknown escalation", button("relais:b:escalation_ack:77"), "n’existe pas"],
    ["a routed button with an unknown route", button("relais:b:drop_tables:1"), "n’existe plus"],
  ];
  it.each(cases)("GIVEN %s THEN a polite private answer and nothing written", async (_what, payload, words) => {
    const before = await snapshot(h.r);
    h.feed(payload);
    await h.discord.waitFor(
      (c) =>
        c.some((x) => x.method === "POST" && /callback$/.test(x.path) && (x.body as { type: number }).type === 4) ||
        c.some((x) => x.method === "PATCH"),
      "the answer",
    );
    const answer = JSON.stringify(
      h.discord.calls.filter((x) => /callback$|@original$/.test(x.path)).map((x) => x.body),
    );
    const held = answer.includes(words) && answer.includes("64") && (await snapshot(h.r)) === before;
    count(held);
    expect(answer).toContain(words);
    expect(await snapshot(h.r)).toBe(before);
  });
});
