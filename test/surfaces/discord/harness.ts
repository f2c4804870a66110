import { Events, type Interaction, REST } from "discord.js";
import { commands } from "../../../commands/index.ts";
import type { Policy } from "../../../src/config/policy.ts";
import type { OutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import {
  createDiscordSurface,
  type DiscordConfig,
  type DiscordSurface,
} from "../../../src/surfaces/discord/discord-app.ts";
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
  /** Delivers a gateway payload as `feed` does, and resolves once the surface has handled it. */
  deliver(payload: unknown): Promise<void>;
  /** The interaction callbacks (deferral, modal, private answer), in order. */
  callbacks(): { type: number; data?: Record<string, unknown> }[];
  /** The edits of deferred replies (the private answers), as JSON, in order. */
  edits(): string[];
  /** What the bot posted in a channel or thread, in order. */
  channelPosts(channel: string): ChannelPost[];
  /** Stops Relais and starts it again on the same database (a new client, the same fake Discord). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A real discord.js Client (fed gateway payloads, never logged in) over a fake Discord REST API. */
export async function startDiscordHarness(
  opts: { policy?: Policy; surface?: Partial<DiscordConfig> } = {},
): Promise<DiscordHarness> {
  const discord = await new FakeDiscordApi().start();
  const serve = (r: TestRelais) => ({
    r,
    surface: createDiscordSurface(r.relais, commands, {
      token: TOKEN,
      applicationId: APPLICATION_ID,
      apiUrl: discord.api,
      ...opts.surface,
    }),
    dispatcher: r.relais.dispatcher({
      discord: new DiscordSender(new REST({ api: discord.api, retries: 0 }).setToken(TOKEN)),
    }),
  });
  const h: DiscordHarness = {
    ...serve(await startRelais(opts.policy ? { policy: opts.policy } : {})),
    discord,
    feed: (payload) => feed(h.surface.client, payload),
    deliver: async (payload) => {
      // The client builds the interaction and emits it; caught here and handled by the surface, awaited.
      const { client } = h.surface;
      const listeners = client.listeners(Events.InteractionCreate);
      client.removeAllListeners(Events.InteractionCreate);
      let built: Interaction | undefined;
      client.once(Events.InteractionCreate, (i) => {
        built = i;
      });
      feed(client, payload);
      for (const l of listeners) client.on(Events.InteractionCreate, l as (i: Interaction) => void);
      if (!built) throw new Error("the client built no interaction from that payload");
      await h.surface.handle(built);
    },
    callbacks: () =>
      discord
        .of("POST", /^\/interactions\/\d+\/[^/]+\/callback$/)
        .map((c) => c.body as { type: number; data?: Record<string, unknown> }),
    edits: () =>
      discord.of("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/).map((c) => JSON.stringify(c.body)),
    channelPosts: (channel) =>
      discord.of("POST", new RegExp(`^/channels/${channel}/messages$`)).map((c) => c.body as ChannelPost),
    restart: async () => {
      await h.surface.stop();
      await h.dispatcher.stop();
      Object.assign(h, serve(await h.r.restart()));
    },
    close: async () => {
      await h.surface.stop();
      await h.dispatcher.stop();
      await discord.stop();
      await h.r.close();
    },
  };
  return h;
}
