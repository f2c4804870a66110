import { sentence } from "../text.ts";
import type { Texts } from "../i18n/index.ts";
import type { Reply } from "../reply.ts";
import { ref, type Ticket } from "../tickets/model.ts";
import { escalationRef, type Escalation } from "./model.ts";

/**
 * The escalation note as posted (seed 003, "note interne standard"), and its thread messages. Its
 * buttons are routed by id (src/buttons.ts) to the /escalate subcommands that declare them.
 */

/** `Escalade - {type} - {client} - {impact} - {urgence} - Ticket {ID} | {date timezone} | Owner {name}` */
export function subjectLine(x: Texts, e: Escalation, t: Ticket, zone: string): string {
  const client = [t.requester, t.department].filter(Boolean).join(" / ") || x.t("ticket.none");
  const at = e.createdAt.setZone(zone);
  return x.t("escalation.subject", {
    type: x.t(`choice.escalationType.${e.type}`),
    client,
    impact: firstLine(e.impact),
    urgency: x.t(`choice.urgencyLevel.${e.urgency}`),
    ticket: ref(t.id),
    date: `${at.toFormat("yyyy-MM-dd HH:mm")} ${zone}`,
    owner: e.ownerName,
  });
}

export function noteMessage(x: Texts, e: Escalation, t: Ticket): Reply {
  const section = (n: number, key: Parameters<Texts["t"]>[0], value: string | undefined) => ({
    label: `${n}) ${x.t(key)}`,
    value: value ?? x.t("ticket.none"),
  });
  return {
    blocks: [
      { type: "header", text: e.subject },
      {
        type: "text",
        text: x.t("escalation.intro", {
          ref: escalationRef(e.id),
          team: e.targetTeam,
          direction: x.t(`choice.direction.${e.direction}`),
          why: e.why,
          // The subject states the zone (seed 003): "| 2026-11-24 12:15 Europe/Paris |".
          next: x.moments(undefined, true)(e.nextUpdateAt),
        }),
      },
      {
        type: "fields",
        fields: [
          section(1, "field.context", `${e.context}\n${t.title}`),
          section(2, "field.facts", e.facts),
          section(3, "field.evidence", e.evidence),
          section(4, "field.actionsTaken", e.actionsTaken),
          section(5, "field.request", e.request),
          section(
            6,
            "escalation.urgency_impact",
            `${x.t(`choice.urgencyLevel.${e.urgency}`)} — ${e.impact}${e.deadline ? ` — ${x.t("field.deadline")} : ${e.deadline}` : ""}`,
          ),
          section(7, "field.recommendation", e.recommendation),
        ],
      },
      { type: "context", text: x.t("escalation.ask_ack", { owner: e.ownerName }) },
      {
        type: "actions",
        actions: [
          { id: "escalation_ack", label: x.t("escalation.button.ack"), value: String(e.id) },
          { id: "escalation_info", label: x.t("escalation.button.info"), value: String(e.id) },
          { id: "escalation_decide", label: x.t("escalation.button.decide"), value: String(e.id) },
        ],
      },
    ],
    ephemeral: false,
  };
}

export function threadMessage(x: Texts, key: Parameters<Texts["t"]>[0], params: Record<string, string>): Reply {
  return { blocks: [{ type: "text", text: x.t(key, params) }], ephemeral: false };
}

export function followUpMessage(x: Texts, e: Escalation, suggestHierarchical: boolean): Reply {
  return {
    blocks: [
      {
        type: "text",
        text: x.t("escalation.follow_up", {
          ref: escalationRef(e.id),
          team: e.targetTeam,
          since: x.moments()(e.createdAt),
          n: e.followUps,
        }),
      },
      ...(suggestHierarchical
        ? [
            {
              type: "context" as const,
              text: x.t("escalation.suggest_hierarchical", { ref: escalationRef(e.id), ticket: ref(e.ticketId) }),
            },
          ]
        : []),
    ],
    ephemeral: false,
  };
}

export function decisionMessage(x: Texts, e: Escalation, announcer = e.ownerName): Reply {
  return threadMessage(x, "escalation.decided", {
    ref: escalationRef(e.id),
    who: e.decidedByName ?? "",
    option: e.decisionOption ?? "",
    rationale: sentence(e.decisionRationale ?? ""),
    owner: e.decisionOwner ?? "",
    announcer,
  });
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
