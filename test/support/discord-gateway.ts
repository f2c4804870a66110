import type { Client } from "discord.js";
import {
  type APIInteractionDataResolvedChannel,
  type APIModalSubmitChannelSelectComponent,
  ChannelType,
  ComponentType,
} from "discord-api-types/v10";
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
  const user = userOf(who);
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

/**
 * A slash command: string options (type 3), or a user option (type 6, `{ users: [who] }`) whose user
 * Discord resolves in `data.resolved`, as its picker sends it.
 */
export function chatInput(
  command: string,
  subcommand: string,
  options: Record<string, string | ChosenUsers> = {},
  who?: Who,
) {
  const picked = Object.values(options).flatMap((v) => (typeof v === "object" ? v.users : []));
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
          options: Object.entries(options).map(([name, value]) =>
            typeof value === "object" ? { type: 6, name, value: userOf(value.users[0]!).id } : { type: 3, name, value },
          ),
        },
      ],
      ...(picked.length > 0
        ? { resolved: { users: Object.fromEntries(picked.map((u) => [userOf(u).id, userOf(u)])) } }
        : {}),
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

/** A user chosen in a modal's user select (type 5): Discord sends its id and resolves the user and member. */
export interface ChosenUsers {
  users: Who[];
}

const userOf = (w: Who) => ({
  id: w.userId ?? "300000000000000001",
  username: w.username ?? "alice",
  global_name: w.username ? w.username[0]!.toUpperCase() + w.username.slice(1) : "Alice",
  discriminator: "0",
  avatar: null,
});

/** Channels chosen in a modal's channel select (type 8): Discord sends their ids and resolves them. */
export interface ChosenChannels {
  channels: string[];
}

/**
 * A modal submission with Label components (type 18) holding text inputs, string selects (an array
 * of values), user selects (`{ users }`) or channel selects (`{ channels }`), resolved as Discord does
 * in `data.resolved`.
 */
export function modalSubmit(
  customId: string,
  fields: Record<string, string | string[] | ChosenUsers | ChosenChannels>,
  who?: Who,
) {
  const chosen = Object.values(fields).flatMap((v) => (typeof v === "object" && "users" in v ? v.users : []));
  const channels = Object.values(fields).flatMap((v) => (typeof v === "object" && "channels" in v ? v.channels : []));
  return {
    ...base(5, who),
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([id, v], n) => ({
        type: 18,
        id: n + 1,
        component: Array.isArray(v)
          ? { type: 3, id: 100 + n, custom_id: id, values: v }
          : typeof v === "object" && "users" in v
            ? { type: 5, id: 100 + n, custom_id: id, values: v.users.map((u) => userOf(u).id) }
            : typeof v === "object"
              ? ({
                  type: ComponentType.ChannelSelect,
                  id: 100 + n,
                  custom_id: id,
                  values: v.channels,
                } satisfies APIModalSubmitChannelSelectComponent)
              : { type: 4, id: 100 + n, custom_id: id, value: v },
      })),
      ...(chosen.length > 0 || channels.length > 0
        ? {
            resolved: {
              channels: Object.fromEntries(
                channels.map((c) => [
                  c,
                  {
                    id: c,
                    type: ChannelType.GuildText,
                    name: `salon-${c.slice(-3)}`,
                    permissions: "2248473465835073",
                  } satisfies APIInteractionDataResolvedChannel,
                ]),
              ),
              users: Object.fromEntries(chosen.map((u) => [userOf(u).id, userOf(u)])),
              members: Object.fromEntries(
                chosen.map((u) => [
                  userOf(u).id,
                  { roles: u.roles ?? [], nick: null, avatar: null, joined_at: "2026-01-01T00:00:00.000Z", flags: 0 },
                ]),
              ),
            },
          }
        : {}),
    },
  };
}

/** Delivers a payload to a Client that never logged in, as the gateway handler does. */
export function feed(client: Client, payload: unknown): void {
  (
    client as unknown as { actions: { InteractionCreate: { handle(d: unknown): void } } }
  ).actions.InteractionCreate.handle(payload);
}
