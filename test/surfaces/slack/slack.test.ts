import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockAction, startSlackHarness, TOKEN, viewSubmission, type SlackHarness } from "./harness.ts";
import { sendToBot, slackSignature } from "../../support/fake-slack.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

const texts = (calls: { body: Record<string, unknown> }[]) => calls.map((c) => JSON.stringify(c.body));
const ticketCount = async () => (await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all")).total;

describe("Slack: /ticket <title>", () => {
  it("GIVEN a signed slash command THEN it is acked at once, a card is posted and the acknowledgement goes in its thread", async () => {
    const res = await h.command("Imprimante bloquée au 2e étage");
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card and thread reply");
    const [card, ack] = h.slack.of("chat.postMessage");
    expect(card!.token).toBe(TOKEN);
    expect(card!.body.channel).toBe("C-HELP");
    expect(JSON.stringify(card!.body.blocks)).toContain("T-1 · Imprimante bloquée au 2e étage");
    expect(JSON.stringify(card!.body.blocks)).toContain("ticket_take");
    expect(ack!.body.thread_ts).toMatch(/^\d+\.\d+$/);
    expect(JSON.stringify(ack!.body.blocks)).toContain("T-1 ouvert");
    expect(JSON.stringify(ack!.body.blocks)).toContain("Première réponse au plus tard 18:00 (heure de Paris)");
    // The card's location is remembered: later replies thread under it and update it in place.
    await h.command("take T-1");
    await h.slack.waitFor((c) => c.some((x) => x.method === "chat.update"), "card update");
    const update = h.slack.of("chat.update")[0]!;
    expect(update.body.ts).toBe(ack!.body.thread_ts);
    expect(JSON.stringify(update.body.blocks)).toContain("alice");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 3, "take reply");
    expect(h.slack.of("chat.postMessage")[2]!.body.thread_ts).toBe(ack!.body.thread_ts);
  });

  it("GIVEN bad input THEN the ack itself carries a polite ephemeral error and nothing is posted", async () => {
    const res = await h.command("lsit");
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("Vouliez-vous dire « list »");
    const unknown = await h.command("show T-99");
    expect(unknown.status).toBe(200);
    await h.slack.waitFor((c) => c.some((x) => x.method.startsWith("response/")), "ephemeral respond");
    const responded = h.slack.calls.find((x) => x.method.startsWith("response/"))!;
    expect(responded.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(responded.body)).toContain("T-99 n’existe pas");
    expect(h.slack.of("chat.postMessage")).toHaveLength(0);
  });

  it("GIVEN @channel, <!here> and <!everyone> in a title THEN they are posted escaped, never as broadcasts", async () => {
    await h.command("Panne <!channel> &lt;!here&gt; <!everyone> @here VPN");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "posts");
    for (const body of texts(h.slack.of("chat.postMessage"))) {
      expect(body).not.toMatch(/<!(channel|here|everyone)>/);
    }
    expect(JSON.stringify(h.slack.of("chat.postMessage")[0]!.body.blocks)).toContain("&lt;!channel&gt;");
  });
});

describe("Slack: forms as modals", () => {
  it("GIVEN /ticket alone THEN the ticket form opens with the trigger id, and a valid submission creates one ticket", async () => {
    const res = await h.command("");
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "views.open");
    const open = h.slack.of("views.open")[0]!;
    expect(open.body.trigger_id).toBe("trigger-1");
    const view = open.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string }[];
      title: { text: string };
    };
    expect(view.title.text).toBe("Nouveau ticket");
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      "title",
      "requester",
      "requester~name",
      "department",
      "workstation",
      "impact",
      "urgency",
      "workaround",
      "workaroundText",
      "since",
      "changed",
      "reproducible",
      "scope",
      "errorMessage",
      "profile",
    ]);

    const invalid = await h.interact(viewSubmission(view, { title: "   ", impact: "select:high" }));
    expect(invalid.json()).toEqual({
      response_action: "errors",
      errors: { title: "Le champ Résumé du problème (une phrase) est obligatoire." },
    });
    expect(await ticketCount()).toBe(0);

    const good = viewSubmission(view, {
      title: "Serveur de fichiers indisponible",
      requester: "M. Leroy",
      impact: "select:high",
      urgency: "select:high",
      workaround: "select:none",
      profile: "select:novice",
    });
    expect((await h.interact(good)).status).toBe(200);
    // Submitted twice (double click, network retry): still one ticket, one card.
    expect((await h.interact(good)).status).toBe(200);
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card");
    const t = await h.r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ priority: "P1", requester: "M. Leroy", profile: "novice" });
    expect(await ticketCount()).toBe(1);
    expect(h.slack.of("chat.postMessage")).toHaveLength(2);
  });

  it("GIVEN the update button on a card THEN the status form opens for that ticket and its submission threads the update", async () => {
    await h.command("Messagerie inaccessible");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card");
    const alice = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" };
    expect((await h.interact(blockAction("ticket_update", "1", {}, alice))).status).toBe(200);
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "views.open");
    const view = h.slack.of("views.open")[0]!.body.view as {
      private_metadata: string;
      callback_id: string;
      title: { text: string };
      blocks: { block_id: string }[];
    };
    expect(view.title.text).toBe("Point de statut T-1");
    expect(view.blocks.map((b) => b.block_id)).toEqual(["stage", "nextAction", "blocker", "lastAction", "nextUpdate"]);
    const bad = await h.interact(
      viewSubmission(
        view,
        { stage: "select:diagnostic", nextAction: "Tester le connecteur", nextUpdate: "bientôt" },
        "V-UPD",
      ),
    );
    expect((bad.json() as { errors: Record<string, string> }).errors.nextUpdate).toContain(
      "n’est pas une heure reconnue",
    );
    await h.interact(
      viewSubmission(
        view,
        { stage: "select:diagnostic", nextAction: "Tester le connecteur", nextUpdate: "15:00" },
        "V-UPD",
      ),
    );
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 3, "update in thread");
    const update = h.slack.of("chat.postMessage")[2]!;
    expect(update.body.thread_ts).toBe(h.slack.of("chat.postMessage")[1]!.body.thread_ts);
    expect(JSON.stringify(update.body.blocks)).toContain("Prochain point : 15:00 (heure de Paris)");
  });

  it("GIVEN the take button clicked twice THEN the ticket has one owner and one take post, and a click after the double-click window is told politely", async () => {
    await h.command("Messagerie inaccessible");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card");
    // Alice opened it: her first take is the first response (someone else's would be a handover request).
    const responseUrl = h.slack.responseUrl("take");
    const alice = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" };
    await h.interact(blockAction("ticket_take", "1", { response_url: responseUrl }, alice));
    // The double click: a second payload, acknowledged and nothing more.
    expect((await h.interact(blockAction("ticket_take", "1", { response_url: responseUrl }, alice))).text).toBe("");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 3, "take post");
    h.r.clock.set(h.r.clock.now().plus({ seconds: 6 }));
    await h.interact(blockAction("ticket_take", "1", { response_url: responseUrl }, alice));
    await h.slack.waitFor((c) => c.some((x) => x.method === "response/take"), "the later click answered");
    const timeline = await h.r.relais.services.tickets.timeline(1);
    expect(timeline.filter((e) => e.kind === "taken")).toHaveLength(1);
    expect(h.slack.of("chat.postMessage")).toHaveLength(3);
    expect(h.slack.of("response/take")).toHaveLength(1);
    expect(JSON.stringify(h.slack.of("response/take")[0]!.body)).toContain("déjà responsable");
  });

  it("GIVEN a closed form THEN Slack gets its ack and nothing is saved", async () => {
    const res = await h.interact({
      type: "view_closed",
      team: { id: "T1" },
      user: { id: "U-ALICE" },
      api_app_id: "A1",
      view: { id: "V9", callback_id: "relais_form", private_metadata: "{}" },
      is_cleared: false,
    });
    expect(res.status).toBe(200);
    expect(await ticketCount()).toBe(0);
  });
});

describe("Slack: request signatures", () => {
  it.each([
    ["a wrong signature", { signature: `v0=${"0".repeat(64)}` }],
    ["no signature", { signature: null }],
    ["a stale timestamp (over 5 minutes)", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])("GIVEN %s THEN 401 and no effect", async (_what, opts) => {
    const form = {
      command: "/ticket",
      text: "Imprimante bloquée",
      user_id: "U1",
      user_name: "mallory",
      channel_id: "C-HELP",
      team_id: "T1",
      response_url: h.slack.responseUrl(),
      trigger_id: "t",
    };
    const res = await sendToBot(h.url, form, { secret: "test-signing-secret", ...opts });
    expect(res.status).toBe(401);
    expect(await ticketCount()).toBe(0);
    expect(h.slack.calls).toHaveLength(0);
  });

  it.each([
    [
      "the signature of another body",
      (ts: number) => slackSignature("test-signing-secret", ts, "command=%2Fticket&text=z"),
    ],
    [
      "the signature of another second",
      (ts: number, body: string) => slackSignature("test-signing-secret", ts - 1, body),
    ],
    [
      "a signature of another version",
      (ts: number, body: string) => slackSignature("test-signing-secret", ts, body).replace(/^v0=/, "v1="),
    ],
    [
      "a truncated signature",
      (ts: number, body: string) => slackSignature("test-signing-secret", ts, body).slice(0, -2),
    ],
  ])("GIVEN %s THEN 401 and no effect", async (_what, sign) => {
    const body = new URLSearchParams({
      command: "/ticket",
      text: "Imprimante bloquée",
      user_id: "U1",
      channel_id: "C-HELP",
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const headers = { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(ts) };
    const res = await fetch(h.url, {
      method: "POST",
      headers: { ...headers, "x-slack-signature": sign(ts, body) },
      body,
    });
    expect(res.status).toBe(401);
    expect(await ticketCount()).toBe(0);
    // The same request rightly signed goes through (the cases above differ from it in one thing).
    const ok = await fetch(h.url, {
      method: "POST",
      headers: { ...headers, "x-slack-signature": slackSignature("test-signing-secret", ts, body) },
      body,
    });
    expect(ok.status).toBe(200);
  });

  it("GIVEN a body signed with another secret THEN 401", async () => {
    const body = new URLSearchParams({ command: "/ticket", text: "x y" }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": slackSignature("other", ts, body),
      },
      body,
    });
    expect(res.status).toBe(401);
  });
});

describe("Slack: errors people will hit", () => {
  // The card and its reply go through the outbox: a refusal for good is told privately to the
  // ticket's owner — here the person who typed the command — with what to do and what it said.
  const toldTo = (user: string) =>
    h.slack
      .of("chat.postMessage")
      .filter((c) => c.body.channel === user)
      .map((c) => JSON.stringify(c.body));

  it("GIVEN the bot is not in the channel THEN the person is told to invite it, with the ticket reference and the reply", async () => {
    h.slack.fail("chat.postMessage", { status: 200, body: { ok: false, error: "not_in_channel" } });
    await h.command("Imprimante bloquée au 2e étage");
    await h.slack.waitFor(() => toldTo("U-ALICE").length === 2, "the card's and the reply's refusals, told");
    const [card, said] = toldTo("U-ALICE");
    expect(card).toContain("Invitez Relais dans ce canal (/invite @Relais)");
    expect(card).toContain("#C-HELP");
    expect(said).toContain("T-1");
    expect(said).toContain("T-1 ouvert : « Imprimante bloquée au 2e étage »");
    expect(await ticketCount()).toBe(1);
    // Invited since: the next reply about the ticket posts the card (as it is now), then the reply in its thread.
    await h.command("take T-1");
    await h.slack.waitFor((c) => c.some((x) => JSON.stringify(x.body).includes("pris en charge")), "take reply");
    await h.dispatcher.flush();
    const inHelp = h.slack.of("chat.postMessage").filter((c) => c.body.channel === "C-HELP");
    expect(
      inHelp.map((c) => [Boolean(c.body.thread_ts), JSON.stringify(c.body.blocks).includes("ticket_take")]),
    ).toEqual([
      [false, true], // the refused card
      [false, true], // the card, tried again
      [true, false], // the take, in its thread
    ]);
  });

  it("GIVEN an archived or unknown channel THEN the person is told, and the ticket exists", async () => {
    h.slack.fail("chat.postMessage", { status: 200, body: { ok: false, error: "channel_not_found" } });
    await h.command("Imprimante bloquée au 2e étage", { channel_id: "C-GONE" });
    await h.slack.waitFor(() => toldTo("U-ALICE").length === 2, "explanation");
    const [card, said] = toldTo("U-ALICE");
    expect(card).toContain("Invitez Relais dans ce canal");
    expect(said).toContain("T-1 ouvert");
    expect(await ticketCount()).toBe(1);
    expect((await h.r.relais.store.threads.get(1, "slack"))?.messageId).toBeUndefined();
  });

  it("GIVEN a missing scope THEN the person is told which permission to add", async () => {
    h.slack.fail("chat.postMessage", {
      status: 200,
      body: { ok: false, error: "missing_scope", needed: "chat:write.public" },
    });
    await h.command("Imprimante bloquée au 2e étage");
    await h.slack.waitFor(() => toldTo("U-ALICE").length === 2, "explanation");
    expect(toldTo("U-ALICE")[0]).toContain("missing_scope");
    expect(toldTo("U-ALICE")[0]).toContain("demandez à un administrateur");
  });

  it("GIVEN Slack answers 429 with Retry-After, then 5xx, THEN the card is posted once after recovery", async () => {
    h.slack.fail(
      "chat.postMessage",
      { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "1" } },
      { status: 503, body: { ok: false } },
    );
    await h.command("Imprimante bloquée au 2e étage");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 1, "the refused card");
    // The outbox waits the Retry-After, then backs off after the 5xx (the manual clock, moved on).
    for (let i = 0; i < 3; i++) {
      h.r.clock.advance({ seconds: 2 });
      await h.dispatcher.flush();
    }
    const posts = h.slack.of("chat.postMessage");
    // Two refused attempts, the card once, the acknowledgement once.
    expect(posts.map((p) => JSON.stringify(p.body.blocks).includes("ticket_take"))).toEqual([true, true, true, false]);
    expect((await h.r.relais.store.threads.get(1, "slack"))?.messageId).toBeDefined();
  });
});

describe("Slack: health and events", () => {
  it("GIVEN GET /healthz THEN 200 with the health report while the database takes a write and the scheduler passes", async () => {
    const healthz = h.url.replace("/slack/events", "/healthz");
    // This harness runs no scheduler interval: a scheduler that never passed is not healthy.
    expect((await fetch(healthz)).status).toBe(503);
    await h.r.relais.scheduler.tick();
    const res = await fetch(healthz);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toMatchObject({ ok: true, database: { writable: true }, outbox: { failed: 0 } });
  });

  it("GIVEN an app_mention redelivered with X-Slack-Retry-Num THEN one three-part answer is posted", async () => {
    await h.r.relais.services.tickets.create({ id: "slack:U-ALICE", name: "alice" }, { title: "VPN coupé" });
    const event = JSON.stringify({
      token: "legacy",
      team_id: "T1",
      api_app_id: "A1",
      type: "event_callback",
      event_id: "Ev1",
      event_time: 1,
      event: {
        type: "app_mention",
        user: "UCAROL",
        text: "<@UBOT> T-1 ?",
        ts: "5.0",
        channel: "C-HELP",
        event_ts: "5.0",
      },
    });
    const send = async (retry?: string) => {
      const ts = Math.floor(Date.now() / 1000);
      return fetch(h.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": slackSignature("test-signing-secret", ts, event),
          ...(retry ? { "x-slack-retry-num": retry, "x-slack-retry-reason": "http_timeout" } : {}),
        },
        body: event,
      });
    };
    expect((await send()).status).toBe(200);
    expect((await send("1")).status).toBe(200);
    await h.slack.waitFor((c) => c.some((x) => x.method === "chat.postMessage"), "answer");
    await new Promise((r) => setTimeout(r, 300));
    const posts = h.slack.of("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.thread_ts).toBe("5.0");
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain("État : nouveau. Prochaine étape");
  });
});
