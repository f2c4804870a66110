import { REST } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SendError } from "../../../src/outbox/outbox.ts";
import { DiscordSender } from "../../../src/surfaces/discord/discord-sender.ts";
import { FakeDiscordApi } from "../../support/discord-api.ts";

let discord: FakeDiscordApi;
let sender: DiscordSender;
beforeEach(async () => {
  discord = await new FakeDiscordApi().start();
  sender = new DiscordSender(new REST({ api: discord.api, retries: 1, timeout: 5000 }).setToken("t"));
});
afterEach(() => discord.stop());

const reply = {
  blocks: [{ type: "text" as const, text: "@everyone Pas de changement depuis 10:00" }],
  ephemeral: false,
};

describe("outbox posts to Discord", () => {
  it("GIVEN a channel THEN the post is an embed that pings nobody", async () => {
    const { messageId } = await sender.send("555", reply);
    expect(messageId).toMatch(/^\d+$/);
    const call = discord.of("POST", /^\/channels\/555\/messages$/)[0]!;
    expect(call.body).toMatchObject({
      allowed_mentions: { parse: [] },
      embeds: [{ description: "@everyone Pas de changement depuis 10:00" }],
    });
  });

  it("GIVEN a 429 THEN discord.js waits its retry_after and the post goes through once", async () => {
    discord.fail(/^POST \/channels\/555\/messages$/, {
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.05, global: false },
      headers: { "retry-after": "0.05" },
    });
    await sender.send("555", reply);
    expect(discord.of("POST", /^\/channels\/555\/messages$/)).toHaveLength(2);
  });

  it("GIVEN 5xx beyond discord.js's own retries THEN the outbox is told to retry later", async () => {
    for (let i = 0; i < 3; i++)
      discord.fail(/^POST \/channels\/555\/messages$/, { status: 502, body: { message: "Bad Gateway", code: 0 } });
    const error = await sender.send("555", reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).retryable).toBe(true);
  });

  it("GIVEN missing permissions THEN the refusal is final for that post", async () => {
    discord.fail(/^POST \/channels\/555\/messages$/, {
      status: 403,
      body: { message: "Missing Permissions", code: 50013 },
    });
    const error = (await sender.send("555", reply).catch((e: unknown) => e)) as SendError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("50013");
  });
});

describe("private messages on Discord", () => {
  it("GIVEN a person as the target THEN their DM channel is opened first and the post goes there", async () => {
    await sender.send("@300000000000000001", reply);
    expect(discord.of("POST", /^\/users\/@me\/channels$/)[0]!.body).toEqual({ recipient_id: "300000000000000001" });
    expect(discord.of("POST", /^\/channels\/\d+\/messages$/)).toHaveLength(1);
  });
});
