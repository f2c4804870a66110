import type { Client } from "discord.js";
import { botMessage } from "./discord-api.ts";

/** Interaction payloads exactly as the gateway delivers them in INTERACTION_CREATE. */

let seq = 800_000_000_000_000_000n;
const snowflake = () => String(seq++);

export interface Who {
  userId?: string;
  username?: string;
  locale?: string;
  channelId?: string;
  roles?: string[];
}

function base(type: number, who: Who = {}) {
  const channelId = who.channelId ?? "200000000000000001";
  const user = {
    id: who.userId ?? "300000000000000001",
    username: who.username ?? "alice",
    global_name: who.username ? who.username[0]!.toUpperCase() + who.username.slice(1) : "Alice",
    discriminator: "0",
    avatar: null,
  };
  return {
    id: snowflake(),
    application_id: "400000000000000001",
    type,
    token: `tok-${snowflake()}`,
    version: 1,
    guild_id: "1",
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: "1", name: "support" },
    member: {
      user,
      roles: who.roles ?? [],
      nick: null,
      avatar: null,
      joined_at: "2026-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
      permissions: "2248473465835073",
    },
    locale: who.locale ?? "fr",
    guild_locale: "fr",
    app_permissions: "2248473465835073",
    entitlements: [],
    authorizing_integration_owners: { "0": "1" },
    context: 0,
    attachment_size_limit: 8_388_608,
  };
}

export function chatInput(command: string, subcommand: string, options: Record<string, string> = {}, who?: Who) {
  return {
    ...base(2, who),
    data: {
      id: snowflake(),
      name: command,
      type: 1,
      options: [
        {
          type: 1,
          name: subcommand,
          options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })),
        },
      ],
    },
  };
}

export function button(customId: string, who?: Who) {
  const b = base(3, who);
  return {
    ...b,
    data: { custom_id: customId, component_type: 2 },
    message: botMessage(snowflake(), b.channel_id),
  };
}

/** A modal submission with Label components (type 18) holding text inputs or string selects. */
export function modalSubmit(customId: string, fields: Record<string, string | string[]>, who?: Who) {
  return {
    ...base(5, who),
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([id, v], n) => ({
        type: 18,
        id: n + 1,
        component: Array.isArray(v)
          ? { type: 3, id: 100 + n, custom_id: id, values: v }
          : { type: 4, id: 100 + n, custom_id: id, value: v },
      })),
    },
  };
}

/** Delivers a payload to a Client that never logged in, as the gateway handler does. */
export function feed(client: Client, payload: unknown): void {
  (
    client as unknown as { actions: { InteractionCreate: { handle(d: unknown): void } } }
  ).actions.InteractionCreate.handle(payload);
}
