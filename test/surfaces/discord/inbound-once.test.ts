import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice } from "../../support/fixtures.ts";
import { button, chatInput } from "../../support/discord-gateway.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

/**
 * PRODUCT.md "Authority": every inbound request has one effect however often it is delivered — an
 * interaction the gateway delivers again (same id), a double click (two ids) — durably.
 */

let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

const ticketCount = async () => (await h.r.relais.services.tickets.list(alice, "all")).total;
const kinds = async (id: number) => (await h.r.relais.services.tickets.timeline(id)).map((e) => e.kind);
/** The card's edits in place (PATCH of a channel message). */
const cardEdits = () => h.discord.of("PATCH", new RegExp(`^/channels/${CHANNEL}/messages/\\d+$`));

async function openTicket(): Promise<void> {
  await h.deliver(chatInput("ticket", "new", { title: "VPN coupé" }));
  await h.dispatcher.flush();
  expect(h.channelPosts(CHANNEL)).toHaveLength(1);
}

describe("Discord: one effect per interaction, however often it is delivered", () => {
  it("GIVEN the same /ticket interaction delivered 3 times — two at once, one after a restart — THEN one ticket, one card, one answer", async () => {
    const same = chatInput("ticket", "new", { title: "Imprimante bloquée" });
    await Promise.all([h.deliver(same), h.deliver(same)]);
    await h.restart();
    h.r.clock.set(h.r.clock.now().plus({ minutes: 1 }));
    await h.deliver(same);
    await h.dispatcher.flush();
    expect(await ticketCount()).toBe(1);
    expect(await kinds(1)).toEqual(["created"]);
    expect(h.channelPosts(CHANNEL)).toHaveLength(1);
    expect(h.callbacks()).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(h.edits()).toHaveLength(1);
  });

  it("GIVEN the same click on Take delivered 3 times — two at once, one after a restart — THEN one take and one card edit", async () => {
    await openTicket();
    const take = button("relais:b:ticket_take:1");
    await Promise.all([h.deliver(take), h.deliver(take)]);
    await h.restart();
    h.r.clock.set(h.r.clock.now().plus({ minutes: 1 }));
    await h.deliver(take);
    await h.dispatcher.flush();
    expect(await kinds(1)).toEqual(["created", "taken"]);
    expect(cardEdits()).toHaveLength(1);
    // The ticket's deferral and the click's: nothing answered the repeats (Discord takes one answer each).
    expect(h.callbacks().map((c) => c.type)).toEqual([5, 5]);
  });

  it("GIVEN a double click (two interactions, same person, button and message) THEN one take, the second click acknowledged without a word", async () => {
    await openTicket();
    const first = button("relais:b:ticket_take:1");
    const second = { ...button("relais:b:ticket_take:1"), message: first.message };
    await Promise.all([h.deliver(first), h.deliver(second)]);
    await h.dispatcher.flush();
    expect(await kinds(1)).toEqual(["created", "taken"]);
    expect(cardEdits()).toHaveLength(1);
    // One deferral for the ticket, one for the click that ran, and a silent update (6) for the other.
    expect(
      h
        .callbacks()
        .map((c) => c.type)
        .sort(),
    ).toEqual([5, 5, 6]);
    // Six seconds later it is a new click, answered as such (the ticket is already hers).
    h.r.clock.set(h.r.clock.now().plus({ seconds: 6 }));
    await h.deliver({ ...button("relais:b:ticket_take:1"), message: first.message });
    expect(h.edits().at(-1)).toContain("déjà responsable");
    expect(await kinds(1)).toEqual(["created", "taken"]);
  });
});
