import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { Action, Reply } from "../../reply.ts";
import { clip } from "../../text.ts";

/** Discord's documented message limits that our messages can reach (checked in tests). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  embedsPerMessage: 10,
  customId: 100,
  buttonLabel: 80,
  modalTitle: 45,
  modalInputs: 5,
  inputLabel: 45,
  selectOptions: 25,
  optionLabel: 100,
} as const;

/** What Discord receives for a message: never a ping from user text (allowed_mentions empty). */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
}

export { clip };

/** A routed button's custom id: `relais:b:<button id>:<value>` (forms' steps use `relais:form:…`). */
export const BUTTON_PREFIX = "relais:b";

const STYLES: Record<NonNullable<Action["style"]>, APIButtonComponentWithCustomId["style"]> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** The embed's colour, by how urgent its subject is (a ticket card by priority). */
const ACCENTS: Record<NonNullable<Reply["accent"]>, number> = { high: 0xd32f2f, medium: 0xf57c00, low: 0x1976d2 };

/** A button as Discord takes it: its custom id and label clipped to Discord's limits. */
export function button(
  customId: string,
  label: string,
  style: NonNullable<Action["style"]>,
): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: clip(customId, DISCORD_LIMITS.customId),
    label: clip(label, DISCORD_LIMITS.buttonLabel),
    style: STYLES[style],
  };
}

/**
 * A neutral reply as one embed (or a few, when long), within Discord's limits. Written as the API's
 * own shapes (discord-api-types), not through discord.js's EmbedBuilder and ButtonBuilder: their
 * setters validate each value with shapeshift, which builds an Error (a stack trace) for every
 * alternative of a union it rejects — 70% of this function's time, on every card, answer and update
 * (issue 16: a Discord burst's deferrals waited for it). The limits are ours to keep (clip, and
 * test/surfaces/discord/discord-limits.test.ts).
 */
export function toDiscord(r: Reply): DiscordMessage {
  const embed: APIEmbed = {};
  const description: string[] = [];
  let total = 0;
  const fields: APIEmbedField[] = [];
  const extra: string[] = [];
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case "header":
      case "title":
        if (!embed.title) embed.title = clip(b.text, DISCORD_LIMITS.embedTitle);
        else description.push(`**${b.text}**`);
        break;
      case "text":
        description.push(b.text);
        break;
      case "list":
        description.push(...b.items.map((i) => `• ${i}`));
        break;
      case "context":
        extra.push(b.text);
        break;
      case "actions":
        for (const a of b.actions.slice(0, 5)) {
          buttons.push(button(`${BUTTON_PREFIX}:${a.id}:${a.value}`, a.label, a.style ?? "secondary"));
        }
        break;
      case "fields":
        for (const f of b.fields) {
          if (fields.length < DISCORD_LIMITS.embedFields)
            fields.push({
              name: clip(f.label, DISCORD_LIMITS.fieldName),
              value: clip(f.value || "—", DISCORD_LIMITS.fieldValue),
              inline: f.value.length < 40,
            });
        }
        break;
    }
  }
  const text = [...description, ...extra.map((e) => `-# ${e}`)].join("\n");
  // Keep the whole embed within 6,000 characters: the description gives way first.
  const used = (embed.title?.length ?? 0) + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  total = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedTotal - used - 10);
  if (text) embed.description = clip(text, total);
  if (fields.length) embed.fields = fields;
  if (r.accent) embed.color = ACCENTS[r.accent];
  return {
    embeds: [embed],
    // Always set, so an edit without buttons (a closed ticket's card) removes the old ones.
    components: buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
    allowed_mentions: { parse: [] },
  };
}
