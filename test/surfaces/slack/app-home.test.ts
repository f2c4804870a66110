import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { createRelais } from "../../../src/app.ts";
import { openStore } from "../../../src/store/database.ts";
import { createSlackSurface } from "../../../src/surfaces/slack/slack-app.ts";
import { sendToBot, slashCommand, slackSignature } from "../../support/fake-slack.ts";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { MAIL_OUTAGE, SECRET, startSlackHarness, TOKEN, viewSubmission, type SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness({ policy: withEscalation("C-ESC", { users: ["slack:UMGR"] }) });
});
afterEach(() => h.close());

let events = 0;
/** A person opens a tab of Relais in Slack: the `app_home_opened` event, signed as Slack sends it. */
async function openHome(user: string, tab: "home" | "messages" = "home") {
  const body = JSON.stringify({
    token: "legacy",
    team_id: "T1",
    api_app_id: "A1",
    type: "event_callback",
    event_id: `EvHome${++events}`,
    event_time: 1,
    event: { type: "app_home_opened", user, channel: `D-${user}`, tab, event_ts: "1.0" },
  });
  const ts = Math.floor(Date.now() / 1000);
  const sent = h.slack.calls.length;
  const res = await fetch(h.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": slackSignature(SECRET, ts, body),
    },
    body,
  });
  expect(res.status).toBe(200);
  // Bolt acknowledges an event before handling it: wait until the desk is published.
  if (tab === "home")
    await h.slack.waitFor(
      (c) => c.slice(sent).some((x) => x.method === "views.publish" && x.body.user_id === user),
      `${user}'s home`,
    );
}

/** What each views.publish showed, per user: the home's text, as people read it. */
const homes = (user: string) =>
  h.slack
    .of("views.publish")
    .filter((c) => c.body.user_id === user)
    .map((c) => {
      const view = c.body.view as { type: string; blocks: unknown[] };
      expect(view.type).toBe("home");
      return JSON.stringify(view.blocks);
    });

async function declareOutage() {
  await h.command("declare", {}, "/outage");
  await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "declaration form");
  const view = h.slack.of("views.open").at(-1)!.body.view as { private_metadata: string; callback_id: string };
  await h.interact(viewSubmission(view, { ...MAIL_OUTAGE, channels: "conversations:C-A" }, "V-OUTAGE"));
  await h.slack.waitFor((c) => c.some((x) => x.method === "pins.add"), "outage declared");
}

describe("Slack App Home: a person's desk", () => {
  it("GIVEN Alice's ticket T-1 and an ongoing outage WHEN she opens her Home tab THEN her desk is published to her", async () => {
    await h.command("Imprimante du 2e en panne");
    await declareOutage();
    await h.surface.idle();
    expect(h.slack.of("views.publish")).toHaveLength(0); // nobody opened a home yet

    await openHome("U-ALICE");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.publish"), "home published");
    const [home] = homes("U-ALICE");
    expect(home).toContain("Mon bureau Relais");
    // Her ticket with its SLA state and deadline; the outage with its next update, zone stated once.
    expect(home).toContain("Mes tickets ouverts : 1");
    expect(home).toContain("T-1 · P3 · nouveau · Imprimante du 2e en panne · alice · première réponse avant 18:00");
    expect(home).toContain("Pannes en cours : 1");
    expect(home).toMatch(/INC-1 · P1 · Messagerie indisponible · alice · prochain point 11:00 \(heure de Paris\)/);
    expect(home?.match(/heure de Paris/g)).toHaveLength(1);
    expect(home).toContain("Aucune passation ne vous attend.");
  });

  it("GIVEN the messages tab opened THEN nothing is published", async () => {
    await openHome("U-ALICE", "messages");
    await h.surface.idle();
    expect(h.slack.of("views.publish")).toHaveLength(0);
  });

  it("GIVEN Alice's home open WHEN she opens a ticket THEN her home is published again once, with it; Bob, who never opened his, gets nothing", async () => {
    await openHome("U-ALICE");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.publish"), "home published");
    expect(homes("U-ALICE")[0]).toContain("Mes tickets ouverts : 0");

    // Two commands in a row, several writes each (the ticket, its take): one refresh within the window.
    await h.command("VPN coupé au siège");
    // The ticket exists before it is taken (waiting without flushing the home's window).
    for (let i = 0; i < 200 && !(await h.r.relais.store.tickets.get(1)); i++)
      await new Promise((r) => setTimeout(r, 10));
    await h.command("take T-1");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "views.publish").length >= 2, "home refreshed");
    await new Promise((r) => setTimeout(r, 1500)); // past the window: nothing more comes
    const after = homes("U-ALICE");
    expect(after).toHaveLength(2);
    expect(after[1]).toContain("Mes tickets ouverts : 1");
    expect(after[1]).toContain("T-1 · P3 · pris en charge");
    expect(h.slack.of("views.publish").filter((c) => c.body.user_id !== "U-ALICE")).toHaveLength(0);
  });

  it("GIVEN Alice's home opened before a restart THEN her home is still refreshed after it (who opened is stored)", async () => {
    await openHome("U-ALICE");
    await h.restart();
    const before = homes("U-ALICE").length;
    await h.command("Scanner bloqué");
    await h.surface.idle();
    expect(homes("U-ALICE")).toHaveLength(before + 1);
    expect(homes("U-ALICE").at(-1)).toContain("Scanner bloqué");
  });

  it("GIVEN Alice's home opened on one replica WHEN her ticket is opened through another THEN that replica refreshes her home", async () => {
    await openHome("U-ALICE"); // on the harness's replica
    // A second replica: its own store, Relais and Bolt app, on the same database.
    const store = await openStore(h.r.url);
    const other = createRelais({ store, policy: withEscalation("C-ESC", { users: ["slack:UMGR"] }), clock: h.r.clock });
    const surface = createSlackSurface(other, commands, {
      botToken: TOKEN,
      signingSecret: SECRET,
      apiUrl: h.slack.url,
      port: 0,
      botUserId: "UBOT",
    });
    try {
      const { port } = await surface.start();
      const res = await sendToBot(
        `http://127.0.0.1:${port}/slack/events`,
        slashCommand(h.slack, "/ticket", "Scanner bloqué"),
        {
          secret: SECRET,
        },
      );
      expect(res.status).toBe(200);
      await surface.idle();
      expect(homes("U-ALICE")).toHaveLength(2);
      expect(homes("U-ALICE")[1]).toContain("Scanner bloqué");
    } finally {
      await surface.stop();
      await store.close();
    }
  });

  it("GIVEN a home last opened more than two weeks ago THEN changes leave it until the next visit", async () => {
    await openHome("U-ALICE");
    h.r.clock.advance({ days: 15 });
    await h.command("Scanner bloqué");
    await h.surface.idle();
    expect(homes("U-ALICE")).toHaveLength(1);
    await openHome("U-ALICE"); // the next visit shows it
    expect(homes("U-ALICE").at(-1)).toContain("Scanner bloqué");
  });

  it("GIVEN Alice's home open WHEN her ticket's SLA turns at risk THEN the warning refreshes her home with the new state", async () => {
    await h.command("Imprimante du 2e en panne");
    await h.surface.idle();
    await openHome("U-ALICE");
    expect(homes("U-ALICE")[0]).toContain("première réponse avant 18:00");

    h.r.clock.set(paris("2026-11-24T17:05")); // the P3's warning is an hour before its 18:00 deadline
    await h.r.relais.scheduler.tick();
    await h.surface.idle();
    expect(homes("U-ALICE")).toHaveLength(2);
    expect(homes("U-ALICE")[1]).toContain("⚠️ première réponse à risque : échéance 18:00 (heure de Paris)");
  });

  it("GIVEN a refused command THEN no home is published", async () => {
    await h.command("Poste lent");
    await h.surface.idle();
    await openHome("U-ALICE");
    await h.surface.idle();
    const before = h.slack.of("views.publish").length;
    // Bob may not change Alice's priority: refused, nothing written, nothing published.
    await h.command("priority T-1 P1 parce que", { user_id: "U-BOB", user_name: "bob" });
    await h.surface.idle();
    expect(await h.r.relais.store.tickets.get(1)).toMatchObject({ priority: "P3" });
    expect(h.slack.of("views.publish")).toHaveLength(before);
  });

  it("GIVEN a unit of work rolled back after its write THEN no home is published", async () => {
    await openHome("U-ALICE");
    const before = h.slack.of("views.publish").length;
    const { services, store } = h.r.relais;
    await expect(
      store.unit.run(async () => {
        await services.tickets.create({ id: "slack:U-ALICE", name: "alice" }, { title: "Jamais enregistré" });
        throw new Error("the rest of the work failed");
      }),
    ).rejects.toThrow("the rest of the work failed");
    await h.surface.idle();
    expect(await store.tickets.get(1)).toBeUndefined();
    expect(h.slack.of("views.publish")).toHaveLength(before);
  });

  it("GIVEN Bob's home open WHEN Alice declares an outage THEN Bob's home lists it (every desk shows outages)", async () => {
    await openHome("U-BOB");
    expect(homes("U-BOB")[0]).toContain("Aucune panne en cours.");
    await declareOutage();
    await h.surface.idle();
    const bob = homes("U-BOB");
    expect(bob).toHaveLength(2);
    expect(bob[1]).toContain("INC-1 · P1 · Messagerie indisponible · alice · prochain point 11:00 (heure de Paris)");
  });

  it("GIVEN the manager's home open WHEN Alice sends an escalation note THEN it shows in the manager's home, to decide", async () => {
    await h.command("Facture en double pour le client Dupont");
    await h.surface.idle();
    await openHome("UMGR");
    await h.surface.idle();
    expect(homes("UMGR")[0]).toContain("Aucune escalade n’attend votre réponse.");

    await h.command("T-1", {}, "/escalade"); // the French name routes to /escalate
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "note form");
    const form = h.slack.of("views.open").at(-1)!.body.view as { private_metadata: string; callback_id: string };
    await h.interact(
      viewSubmission(
        form,
        {
          type: "select:billing",
          direction: "select:hierarchical",
          targetTeam: "Facturation N2",
          why: "Seule la facturation peut annuler",
          request: "Annuler la facture F-114",
          urgency: "select:24h",
          nextUpdate: "16:00",
          facts: "Débité deux fois le 23/11",
          impact: "1 client, 1 240 €",
        },
        "V-ESC",
      ),
    );
    await h.slack.waitFor((c) => c.some((x) => x.method === "chat.postMessage" && x.body.channel === "C-ESC"), "note");
    await h.surface.idle();
    const mine = homes("UMGR");
    expect(mine).toHaveLength(2);
    expect(mine[1]).toContain("Escalades qui attendent votre réponse : 1");
    expect(mine[1]).toContain("E-1 (T-1) vers Facturation N2, en attente de prise en charge");
    expect(mine[1]).toContain("/escalade trancher E-1");
  });

  it("GIVEN a handover WHEN the new owner accepts THEN both homes follow: the handover awaits Bob, then T-1 moves from Alice's to Bob's", async () => {
    await h.command("Imprimante du 2e en panne");
    await h.surface.idle();
    await openHome("U-ALICE");
    await openHome("UBOB");
    expect(homes("U-ALICE")[0]).toContain("Mes tickets ouverts : 1");

    await h.command("T-1 <@UBOB|bob>", {}, "/responsable");
    await h.surface.idle();
    const proposed = homes("UBOB").at(-1);
    expect(proposed).toContain("Passations à accepter : 1");
    expect(proposed).toContain("T-1 · Imprimante du 2e en panne — alice reste responsable jusqu’à votre accord");

    const alice = homes("U-ALICE").length;
    await h.command("accepter T-1", { user_id: "UBOB", user_name: "bob" }, "/responsable");
    await h.surface.idle();
    expect(homes("UBOB").at(-1)).toContain("Mes tickets ouverts : 1");
    expect(homes("UBOB").at(-1)).toContain("Passations à accepter : 0");
    // Alice is no longer named by T-1, but her home showed it: it is refreshed without it.
    expect(homes("U-ALICE")).toHaveLength(alice + 1);
    expect(homes("U-ALICE").at(-1)).toContain("Mes tickets ouverts : 0");
  });

  it("GIVEN a person whose Slack speaks English THEN their home is in English", async () => {
    h.slack.locales.set("U-BOB", "en-US");
    await h.command("Imprimante du 2e en panne", { user_id: "U-BOB", user_name: "bob" });
    await h.surface.idle();
    await openHome("U-BOB");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.publish"), "home published");
    const [home] = homes("U-BOB");
    expect(home).toContain("My Relais desk");
    expect(home).toContain("My open tickets: 1");
    expect(home).toContain("(Paris time)");
    expect(home).not.toContain("Mon bureau");
  });

  it("GIVEN views.publish failing THEN the command still works and the failure is only logged", async () => {
    await openHome("U-ALICE");
    await h.surface.idle();
    h.slack.fail("views.publish", { status: 200, body: { ok: false, error: "internal_error" } });
    const res = await h.command("Écran noir");
    expect(res.status).toBe(200);
    await h.surface.idle();
    expect(await h.r.relais.store.tickets.get(1)).toMatchObject({ title: "Écran noir" });
  });
});
