import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatInput } from "../../support/discord-gateway.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

/**
 * Issue 14, "cards and summaries through the outbox", on Discord: the card is posted once with its
 * thread, edited in place (PATCH) at each change, the replies go in its thread in order, through the
 * outbox's retries — the real discord.js client and DiscordSender over a fake Discord REST API.
 */
let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

/** Five changes of T-1 (Discord's update opens a form: priorities run from their options); the last one sets P2. */
const CHANGES = ["P2", "P1", "P2", "P1", "P2"].map((priority) =>
  chatInput("ticket", "priority", { ref: "T-1", priority, reason: "200 utilisateurs bloqués" }),
);

const CARD_EDIT = new RegExp(`^/channels/${CHANNEL}/messages/\\d+$`);
const texts = (posts: { embeds?: { description?: string; title?: string }[] }[]) =>
  posts.map((p) => p.embeds?.[0]?.description ?? p.embeds?.[0]?.title ?? "");

async function openTicket(): Promise<string> {
  await h.deliver(chatInput("ticket", "new", { title: "Imprimante bloquée au 2e étage" }));
  await h.dispatcher.flush();
  const card = h.discord.of("POST", new RegExp(`^/channels/${CHANNEL}/messages$`));
  expect(card).toHaveLength(1);
  const thread = h.discord.of("POST", /^\/channels\/\d+\/messages\/\d+\/threads$/)[0]!;
  expect(thread.body.name).toBe("T-1 · Imprimante bloquée au 2e étage");
  return thread.path.split("/")[4]!;
}

describe("ticket cards through the outbox (Discord)", () => {
  it("GIVEN a ticket and changes THEN the card is posted once, each change edits it in place, and the replies go in its thread in order", async () => {
    const thread = await openTicket();
    await h.deliver(CHANGES[0]!);
    await h.deliver(CHANGES[1]!);
    await h.dispatcher.flush();
    expect(h.channelPosts(CHANNEL)).toHaveLength(1);
    // Discord gives a thread started on a message that message's id: the card's edits go to it.
    const edits = h.discord.of("PATCH", CARD_EDIT);
    expect(edits.map((e) => e.path)).toEqual([
      `/channels/${CHANNEL}/messages/${thread}`,
      `/channels/${CHANNEL}/messages/${thread}`,
    ]);
    expect(JSON.stringify(edits[0]!.body)).toContain("P2");
    expect(JSON.stringify(edits[1]!.body)).toContain("P1");
    expect(texts(h.channelPosts(thread))).toEqual([
      expect.stringContaining("✅ T-1 ouvert"),
      expect.stringContaining("priorité P3 → P2"),
      expect.stringContaining("priorité P2 → P1"),
    ]);
  });

  it("GIVEN Discord failing (503) through five changes THEN afterwards the card is edited once, to the latest state, and each reply lands once, in order", async () => {
    const thread = await openTicket();
    let storm = true;
    h.discord.failWhile(/^(POST|PATCH) \/channels\/\d+\/messages(\/\d+)?$/, () =>
      storm ? { status: 503, body: { message: "Service Unavailable", code: 0 } } : undefined,
    );
    for (const change of CHANGES) await h.deliver(change);
    await h.dispatcher.flush();
    // Tried meanwhile (each command pokes the outbox) and refused: the card's first edit holds the channel's line.
    expect(h.discord.of("PATCH", CARD_EDIT).length).toBeGreaterThan(0);
    expect(h.discord.of("POST", new RegExp(`^/channels/${thread}/messages$`))).toHaveLength(1);
    storm = false;
    const after = h.discord.calls.length;
    for (let i = 0; i < 10 && (await h.r.relais.store.outbox.countUnsent()) > 0; i++) {
      h.r.clock.advance({ minutes: 1 });
      await h.dispatcher.flush();
    }
    expect(await h.r.relais.store.outbox.countUnsent()).toBe(0);
    const since = h.discord.calls.slice(after);
    // Once the storm is over: one edit of the card (the five coalesced), the latest state.
    const edits = since.filter((c) => c.method === "PATCH" && CARD_EDIT.test(c.path));
    expect(edits.map((e) => e.path)).toEqual([`/channels/${CHANNEL}/messages/${thread}`]);
    expect(JSON.stringify(edits[0]!.body)).toContain("P2");
    // Each reply once, in order, in the thread; nothing else in the channel.
    const replies = since.filter((c) => c.method === "POST" && c.path === `/channels/${thread}/messages`);
    expect(texts(replies.map((c) => c.body)).map((t) => /priorité (P\d → P\d)/.exec(t)?.[1])).toEqual([
      "P3 → P2",
      "P2 → P1",
      "P1 → P2",
      "P2 → P1",
      "P1 → P2",
    ]);
    expect(since.filter((c) => c.method === "POST" && c.path === `/channels/${CHANNEL}/messages`)).toEqual([]);
  });
});
