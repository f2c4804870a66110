import { afterEach, describe, expect, it } from "vitest";
import { startSlackHarness, type SlackHarness } from "./harness.ts";

/**
 * Issue 14, "cards and summaries through the outbox": a ticket's card is posted once, then edited in
 * place (chat.update), its replies go in its thread in order, through the outbox's retries — on the
 * real Bolt app, the real SlackSender and a fake Slack that can rate-limit.
 */
let h: SlackHarness;
afterEach(() => h.close());

/** Five changes of T-1, each a new version of the ticket (the last one is the state to show). */
const CHANGES = [
  "update T-1 diagnostic Vérifier le câble",
  "priority T-1 P2 200 utilisateurs bloqués",
  "update T-1 reproduction Reproduire au 3e",
  "update T-1 validation Tester avec l’utilisateur",
  "update T-1 deployment Changer le toner",
];

/** A slash command, its work after the ack done and what it recorded sent (unless the platform refuses). */
async function run(text: string): Promise<void> {
  expect((await h.command(text)).status).toBe(200);
  await h.surface.idle();
  await h.dispatcher.flush();
}

/** The cards (posts outside any thread) C-HELP really received, and the replies in a card's thread. */
const cards = () => h.slack.posted.filter((p) => p.channel === "C-HELP" && !p.thread_ts);
const thread = (ts: string) => h.slack.posted.filter((p) => p.thread_ts === ts).map((p) => p.text ?? "");
/** What the card's edits said, in order (the edits Slack answered ok). */
const edits = (ts: string) => h.slack.updated.filter((u) => u.ts === ts).map((u) => u.text ?? "");

/** 429s with Retry-After on posts and edits while `on` holds. */
function rateLimitWhile(on: () => boolean): void {
  const limited = { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "5" } };
  for (const method of ["chat.postMessage", "chat.update"])
    h.slack.failWhen(method, () => (on() ? limited : undefined));
}

/** The clock moved past the Retry-After, and the outbox flushed, until nothing is left. */
async function afterTheStorm(): Promise<void> {
  for (let i = 0; i < 10 && (await h.r.relais.store.outbox.countUnsent()) > 0; i++) {
    h.r.clock.advance({ seconds: 6 });
    await h.dispatcher.flush();
  }
  expect(await h.r.relais.store.outbox.countUnsent()).toBe(0);
}

describe("ticket cards through the outbox (Slack)", () => {
  it("GIVEN a ticket and changes THEN the card is posted once, each change edits it in place, and the replies go in its thread in order", async () => {
    h = await startSlackHarness();
    await run("Imprimante bloquée au 2e étage");
    await run(CHANGES[0]!);
    await run(CHANGES[1]!);
    await h.dispatcher.flush();
    expect(cards()).toHaveLength(1);
    const card = cards()[0]!;
    expect(card.text).toContain("T-1 · Imprimante bloquée au 2e étage");
    expect(thread(card.ts).map((t) => t.slice(0, 12))).toEqual(["✅ T-1 ouvert", "🔄 T-1 — Éta", "↕️ T-1 : pri"]);
    // Each change edited that card (no other message), and the last edit shows the ticket as it is.
    expect(h.slack.updated.every((u) => u.ts === card.ts && u.channel === "C-HELP")).toBe(true);
    expect(edits(card.ts)).toHaveLength(2);
    expect(edits(card.ts).at(-1)).toContain("P2");
    expect(cards()).toHaveLength(1);
  });

  it("GIVEN a 429 storm on posts and edits THEN the card ends up showing the latest state, each reply once, in order; five changes make fewer edits", async () => {
    h = await startSlackHarness();
    let storm = false;
    rateLimitWhile(() => storm);
    await run("Imprimante bloquée au 2e étage");
    await h.dispatcher.flush();
    const card = cards()[0]!;
    storm = true;
    for (const change of CHANGES) await run(change);
    await h.dispatcher.flush();
    // Refused meanwhile (the commands poke the outbox): nothing went out, nothing is lost.
    expect(h.slack.calls.filter((c) => c.method === "chat.update").length).toBeGreaterThan(0);
    expect(edits(card.ts)).toEqual([]);
    expect(thread(card.ts)).toHaveLength(1);
    storm = false;
    await afterTheStorm();
    expect(cards()).toHaveLength(1);
    const replies = thread(card.ts);
    expect(replies).toHaveLength(1 + CHANGES.length);
    expect(replies.slice(1).map((t) => t.slice(0, 12))).toEqual([
      "🔄 T-1 — Éta",
      "↕️ T-1 : pri",
      "🔄 T-1 — Éta",
      "🔄 T-1 — Éta",
      "🔄 T-1 — Éta",
    ]);
    expect(replies.at(-1)).toContain("Changer le toner");
    // The burst was coalesced: one edit, the last state (P2, deployment), not five.
    expect(edits(card.ts)).toHaveLength(1);
    expect(edits(card.ts)[0]).toContain("P2");
    expect(await h.r.relais.services.tickets.get(1)).toMatchObject({ priority: "P2" });
  });

  it("GIVEN Relais stops between a command's write and its card's post THEN a new Relais over the same database posts the card and the reply, once", async () => {
    // No dispatcher sends after the command: the process that ran it dies before posting anything.
    h = await startSlackHarness({ prompt: false });
    expect((await h.command("Imprimante bloquée au 2e étage")).status).toBe(200);
    await h.surface.idle();
    expect(h.slack.of("chat.postMessage")).toEqual([]);
    expect(await h.r.relais.store.outbox.countUnsent()).toBe(2);
    await h.restart();
    await h.dispatcher.flush();
    await h.dispatcher.flush();
    expect(cards()).toHaveLength(1);
    expect(thread(cards()[0]!.ts)).toEqual([
      expect.stringContaining("✅ T-1 ouvert : « Imprimante bloquée au 2e étage »"),
    ]);
    expect(h.slack.of("chat.postMessage")).toHaveLength(2);
  });
});
