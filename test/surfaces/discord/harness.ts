import { REST } from "discord.js";
import { commands } from "../../../commands/index.ts";
import type { Policy } from "../../../src/config/policy.ts";
import type { OutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import { createDiscordSurface, type DiscordSurface } from "../../../src/surfaces/discord/discord-app.ts";
import { DiscordSender } from "../../../src/surfaces/discord/discord-sender.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";
import { FakeDiscordApi } from "../../support/discord-api.ts";
import { feed } from "../../support/discord-gateway.ts";

export const TOKEN = "test-token";
export const APPLICATION_ID = "400000000000000001";
/** The channel the gateway payloads of test/support/discord-gateway.ts come from. */
export const CHANNEL = "200000000000000001";

/** A message the bot posted in a channel or thread, as the fake Discord received it. */
export interface ChannelPost {
  content?: string;
  embeds?: { title?: string; description?: string }[];
  components?: unknown[];
  allowed_mentions?: unknown;
}

export interface DiscordHarness {
  r: TestRelais;
  discord: FakeDiscordApi;
  surface: DiscordSurface;
  /** The outbox dispatcher over a DiscordSender to the fake API; the test flushes it. */
  dispatcher: OutboxDispatcher;
  /** Delivers a gateway payload (chatInput, button, modalSubmit) to the surface's client. */
  feed(payload: unknown): void;
  /** The interaction callbacks (deferral, modal, private answer), in order. */
  callbacks(): { type: number; data?: Record<string, unknown> }[];
  /** The edits of deferred replies (the private answers), as JSON, in order. */
  edits(): string[];
  /** What the bot posted in a channel or thread, in order. */
  channelPosts(channel: string): ChannelPost[];
  close(): Promise<void>;
}

/** A real discord.js Client (fed gateway payloads, never logged in) over a fake Discord REST API. */
export async function startDiscordHarness(opts: { policy?: Policy } = {}): Promise<DiscordHarness> {
  const discord = await new FakeDiscordApi().start();
  const r = await startRelais(opts.policy ? { policy: opts.policy } : {});
  const surface = createDiscordSurface(r.relais, commands, {
    token: TOKEN,
    applicationId: APPLICATION_ID,
    apiUrl: discord.api,
  });
  const dispatcher = r.relais.dispatcher({
    discord: new DiscordSender(new REST({ api: discord.api, retries: 0 }).setToken(TOKEN)),
  });
  return {
    r,
    discord,
    surface,
    dispatcher,
    feed: (payload) => feed(surface.client, payload),
    callbacks: () =>
      discord
        .of("POST", /^\/interactions\/\d+\/[^/]+\/callback$/)
        .map((c) => c.body as { type: number; data?: Record<string, unknown> }),
    edits: () =>
      discord.of("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/).map((c) => JSON.stringify(c.body)),
    channelPosts: (channel) =>
      discord.of("POST", new RegExp(`^/channels/${channel}/messages$`)).map((c) => c.body as ChannelPost),
    close: async () => {
      await surface.stop();
      await discord.stop();
      await r.close();
    },
  };
}
