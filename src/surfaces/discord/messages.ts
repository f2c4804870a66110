import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from "discord.js";
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from "discord-api-types/v10";
import type { DateTime } from "luxon";
import type { Texts } from "../../i18n/index.ts";
import type { Reply } from "../../reply.ts";
import type { SlaClock } from "../../sla/sla-clock.ts";
import { isOpen, ref, type Ticket } from "../../tickets/model.ts";
import { slaText } from "../../tickets/views.ts";

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

export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

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
              .setCustomId(clip(`relais:a:${a.id}:${a.value}`, DISCORD_LIMITS.customId))
              .setLabel(clip(a.label, DISCORD_LIMITS.buttonLabel))
              .setStyle(ButtonStyle.Secondary),
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
  return {
    embeds: [embed.toJSON()],
    ...(buttons.length
      ? { components: [new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons).toJSON()] }
      : {}),
    allowed_mentions: { parse: [] },
  };
}

export const TICKET_BUTTONS = {
  take: "relais:t:take",
  update: "relais:t:update",
  resolve: "relais:t:resolve",
} as const;

/** The ticket card: reference, priority, SLA, owner and status, with its buttons; edited in place. */
export function ticketCard(x: Texts, t: Ticket, sla: SlaClock, now: DateTime): DiscordMessage {
  const embed = new EmbedBuilder()
    .setTitle(clip(`${ref(t.id)} · ${t.title}`, DISCORD_LIMITS.embedTitle))
    .addFields(
      { name: x.t("slack.card.priority"), value: t.priority, inline: true },
      { name: x.t("slack.card.status"), value: x.t(`status.${t.status}`), inline: true },
      {
        name: x.t("slack.card.owner"),
        value: clip(t.ownerName ?? x.t("ticket.nobody"), DISCORD_LIMITS.fieldValue),
        inline: true,
      },
      { name: x.t("slack.card.sla"), value: clip(slaText(x, t, sla, now), DISCORD_LIMITS.fieldValue) },
    )
    .setColor(t.priority === "P1" ? 0xd32f2f : t.priority === "P2" ? 0xf57c00 : 0x1976d2);
  const components = isOpen(t)
    ? [
        new ActionRowBuilder<ButtonBuilder>()
          .addComponents(
            new ButtonBuilder()
              .setCustomId(`${TICKET_BUTTONS.take}:${t.id}`)
              .setLabel(clip(x.t("slack.button.take"), DISCORD_LIMITS.buttonLabel))
              .setStyle(ButtonStyle.Primary),
            new ButtonBuilder()
              .setCustomId(`${TICKET_BUTTONS.update}:${t.id}`)
              .setLabel(clip(x.t("slack.button.update"), DISCORD_LIMITS.buttonLabel))
              .setStyle(ButtonStyle.Secondary),
            new ButtonBuilder()
              .setCustomId(`${TICKET_BUTTONS.resolve}:${t.id}`)
              .setLabel(clip(x.t("slack.button.resolve"), DISCORD_LIMITS.buttonLabel))
              .setStyle(ButtonStyle.Success),
            // Routed like the escalation note's buttons (commands/index.ts buttonRoutes).
            new ButtonBuilder()
              .setCustomId(`relais:a:ticket_escalate:${t.id}`)
              .setLabel(clip(x.t("slack.button.escalate"), DISCORD_LIMITS.buttonLabel))
              .setStyle(ButtonStyle.Danger),
          )
          .toJSON(),
      ]
    : [];
  return { embeds: [embed.toJSON()], components, allowed_mentions: { parse: [] } };
}
