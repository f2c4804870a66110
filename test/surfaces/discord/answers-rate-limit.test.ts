import { Routes } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatInput } from "../../support/discord-gateway.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

/**
 * Issue 16: Discord does not count the interaction endpoints against the bot's global limit of 50
 * requests a second, but discord.js counts every request of one REST against it. Behind a burst of
 * card posts on the client's REST (what `npm start` posts cards with), each person's answer waited
 * for the second's budget to come back: 500 tickets at once took ~20 s to be answered.
 */
let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

const CARDS = 150; // three seconds of the global budget
const POST = /^\/channels\/3\d+\/messages$/;

describe("a person's answer and the bot's posts (Discord)", () => {
  it("GIVEN 150 posts queued on the client's REST THEN a /ticket new's answer goes out within the first second's 50, not behind them", async () => {
    // Warm: the first interaction loads what the path needs.
    await h.deliver(chatInput("ticket", "new", { title: "Imprimante bloquée au 2e étage" }));
    const { rest } = h.surface.client;
    const posts = Array.from({ length: CARDS }, (_, n) =>
      rest.post(Routes.channelMessages(String(300_000_000_000_000_000n + BigInt(n))), {
        body: { content: `card ${n}` },
      }),
    );
    await h.deliver(chatInput("ticket", "new", { title: "Scanner hors service" }));
    await Promise.all(posts);

    const order = h.discord.calls.filter((c) => POST.test(c.path) || c.path.includes("/messages/@original"));
    const answer = order.findIndex((c) => c.method === "PATCH" && JSON.stringify(c.body).includes("T-2"));
    expect(answer, "the second ticket's answer was sent").toBeGreaterThanOrEqual(0);
    const postsBefore = order.slice(0, answer).filter((c) => POST.test(c.path)).length;
    // The global budget lets 50 posts through, then holds the rest for a second: an answer held with
    // them comes after more than 50 of them (~150 when it was); one of its own, within the first 50.
    expect(postsBefore).toBeLessThanOrEqual(50);
    expect(h.discord.of("POST", POST)).toHaveLength(CARDS);
  });
});
