import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from "discord.js";
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from "discord-api-types/v10";
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

const STYLES: Record<NonNullable<Action["style"]>, ButtonStyle> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** The embed's colour, by how urgent its subject is (a ticket card by priority). */
const ACCENTS: Record<NonNullable<Reply["accent"]>, number> = { high: 0xd32f2f, medium: 0xf57c00, low: 0x1976d2 };

/** A neutral reply as one embed (or a few, when long), within Discord's limits. */
export function toDiscord(r: Reply): DiscordMessage {
  const embed = new EmbedBuilder();
  const description: string[] = [];
  let total = 0;
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  const extra: string[] = [];
  const buttons: ButtonBuilder[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case "header":
      case "title":
        if (!embed.data.title) embed.setTitle(clip(b.text, DISCORD_LIMITS.embedTitle));
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
          buttons.push(
            new ButtonBuilder()
              .setCustomId(clip(`${BUTTON_PREFIX}:${a.id}:${a.value}`, DISCORD_LIMITS.customId))
              .setLabel(clip(a.label, DISCORD_LIMITS.buttonLabel))
              .setStyle(STYLES[a.style ?? "secondary"]),
          );
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
  const used = (embed.data.title?.length ?? 0) + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  total = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedTotal - used - 10);
  if (text) embed.setDescription(clip(text, total));
  if (fields.length) embed.addFields(fields);
  if (r.accent) embed.setColor(ACCENTS[r.accent]);
  return {
    embeds: [embed.toJSON()],
    // Always set, so an edit without buttons (a closed ticket's card) removes the old ones.
    components: buttons.length ? [new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons).toJSON()] : [],
    allowed_mentions: { parse: [] },
  };
}
