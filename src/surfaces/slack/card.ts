import type { KnownBlock } from "@slack/types";
import type { DateTime } from "luxon";
import type { Texts } from "../../i18n/index.ts";
import type { SlaClock } from "../../sla/sla-clock.ts";
import { isOpen, ref, type Ticket } from "../../tickets/model.ts";
import { slaText } from "../../tickets/views.ts";
import { clip, escapeMrkdwn } from "./mrkdwn.ts";
import { SLACK_LIMITS } from "./blocks.ts";

/** The ticket card: reference, priority, SLA deadline, owner and status, with its buttons. */
export const CARD_ACTIONS = {
  take: "ticket_take",
  update: "ticket_update",
  resolve: "ticket_resolve",
  escalate: "ticket_escalate",
} as const;

export function ticketCard(x: Texts, t: Ticket, sla: SlaClock, now: DateTime): { blocks: KnownBlock[]; text: string } {
  const field = (label: string, value: string) => ({
    type: "mrkdwn" as const,
    text: clip(`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.fieldText),
  });
  const title = `${ref(t.id)} · ${t.title}`;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: clip(`*${escapeMrkdwn(title)}*`, SLACK_LIMITS.sectionText) } },
    {
      type: "section",
      fields: [
        field(x.t("slack.card.priority"), t.priority),
        field(x.t("slack.card.status"), x.t(`status.${t.status}`)),
        field(x.t("slack.card.owner"), t.ownerName ?? x.t("ticket.nobody")),
        field(x.t("slack.card.sla"), slaText(x, t, sla, now)),
      ],
    },
  ];
  if (isOpen(t)) {
    const button = (action: keyof typeof CARD_ACTIONS, label: string) => ({
      type: "button" as const,
      action_id: CARD_ACTIONS[action],
      text: { type: "plain_text" as const, text: clip(label, SLACK_LIMITS.buttonText) },
      value: String(t.id),
    });
    blocks.push({
      type: "actions",
      block_id: `ticket_${t.id}`,
      elements: [
        button("take", x.t("slack.button.take")),
        button("update", x.t("slack.button.update")),
        button("resolve", x.t("slack.button.resolve")),
        button("escalate", x.t("slack.button.escalate")),
      ],
    });
  }
  return { blocks, text: clip(escapeMrkdwn(`${title} — ${t.priority} — ${x.t(`status.${t.status}`)}`), 3000) };
}
