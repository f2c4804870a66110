import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.ts";
import { alice } from "../../support/fixtures.ts";
import { sendToBot, slashCommand } from "../../support/fake-slack.ts";
import { blockAction, SECRET, type SlackHarness, startSlackHarness } from "./harness.ts";

/**
 * PRODUCT.md "Authority": every inbound request has one effect however often it is delivered —
 * a replayed signed body, a retried delivery, a double click — durably (a restart in between).
 */

// Signed timestamps are checked against this clock, so the deliveries' timestamps stay valid.
const signing = new ManualClock(DateTime.fromISO("2026-11-24T09:00:00Z"));
const SIGNED_AT = Math.floor(signing.now().toSeconds());

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness({ clock: signing });
});
afterEach(() => h.close());

const posts = () => h.slack.of("chat.postMessage");
const ticketCount = async () => (await h.r.relais.services.tickets.list(alice, "all")).total;
const kinds = async (id: number) => (await h.r.relais.services.tickets.timeline(id)).map((e) => e.kind);
const ALICE = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" };

/** The same signed bytes, delivered as often as asked. */
const delivery = (form: Record<string, string>) => () =>
  sendToBot(h.url, form, { secret: SECRET, timestamp: SIGNED_AT });

async function openTicket(): Promise<void> {
  await h.command("Messagerie inaccessible", {}, "/ticket");
  await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length === 2, "card and ack");
}

describe("Slack: one effect per request, however often it is delivered", () => {
  it("GIVEN the same signed /ticket delivered 3 times — two at once, one after a restart — THEN one ticket, one card, one timeline event", async () => {
    const send = delivery(slashCommand(h.slack, "/ticket", "Imprimante bloquée", { trigger_id: "trigger-replayed" }));
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.surface.idle();
    await h.restart();
    // Past the double-click window: only the claim of the signed bytes, kept in the database, can stop it.
    h.r.clock.set(h.r.clock.now().plus({ minutes: 1 }));
    const c = await send();
    expect(c.status).toBe(200);
    expect(c.text).toBe("");
    await h.surface.idle();
    await h.dispatcher.flush();
    expect(await ticketCount()).toBe(1);
    expect(await kinds(1)).toEqual(["created"]);
    expect(posts()).toHaveLength(2); // the card and the acknowledgement in its thread
  });

  it("GIVEN the same signed click on Take delivered 3 times — two at once, one after a restart — THEN one take, one card update, one post", async () => {
    await openTicket();
    const click = blockAction("ticket_take", "1", { response_url: h.slack.responseUrl("take") }, ALICE);
    const send = delivery({ payload: JSON.stringify(click) });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.surface.idle();
    await h.restart();
    h.r.clock.set(h.r.clock.now().plus({ minutes: 1 }));
    expect((await send()).status).toBe(200);
    await h.surface.idle();
    await h.dispatcher.flush();
    expect(await kinds(1)).toEqual(["created", "taken"]);
    expect(h.slack.of("chat.update")).toHaveLength(1);
    expect(posts()).toHaveLength(3);
    // The owner's second take would be refused ("déjà responsable"): no answer at all means no second run.
    expect(h.slack.of("response/take")).toHaveLength(0);
  });

  it("GIVEN a double click (two payloads, same person, button, value and message) THEN one take; a click after the window runs", async () => {
    await openTicket();
    const click = (n: number) =>
      blockAction("ticket_take", "1", { response_url: h.slack.responseUrl("take"), trigger_id: `t-${n}` }, ALICE);
    const [a, b] = await Promise.all([h.interact(click(1)), h.interact(click(2))]);
    expect([a.text, b.text]).toEqual(["", ""]);
    await h.surface.idle();
    await h.dispatcher.flush();
    expect(await kinds(1)).toEqual(["created", "taken"]);
    expect(posts()).toHaveLength(3);
    expect(h.slack.of("response/take")).toHaveLength(0);
    // The same click six seconds later is a new request, refused as such (the ticket is already hers).
    h.r.clock.set(h.r.clock.now().plus({ seconds: 6 }));
    await h.interact(click(3));
    await h.surface.idle();
    expect(JSON.stringify(h.slack.of("response/take"))).toContain("déjà responsable");
    expect(await kinds(1)).toEqual(["created", "taken"]);
  });

  it("GIVEN the same click by two people THEN it is no double click: each is handled", async () => {
    await openTicket();
    const bob = { id: "U-BOB", username: "bob", name: "bob", team_id: "T1" };
    await h.interact(blockAction("ticket_take", "1", { trigger_id: "t-a" }, ALICE));
    await h.interact(
      blockAction("ticket_take", "1", { response_url: h.slack.responseUrl("bob"), trigger_id: "t-b" }, bob),
    );
    await h.surface.idle();
    await h.dispatcher.flush();
    // Bob's click ran: whatever the rule says for him (a take, a handover request or a refusal), he got an answer.
    expect(posts().length + h.slack.of("response/bob").length).toBeGreaterThan(3);
  });
});
