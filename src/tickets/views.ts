import type { DateTime } from "luxon";
import type { Moments, Texts } from "../i18n/index.ts";
import { type UndeliveredPost, undeliveredLines } from "../outbox/delivery.ts";
import type { Block, Reply } from "../reply.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import { slaStanding } from "../sla/sla-state.ts";
import { isOpen, ref, type Ticket } from "./model.ts";
import { outageRef } from "../outages/model.ts";
import type { TicketStatus } from "./service.ts";

/** An escalation of the ticket the receiving side has not taken over yet: "E-2" to "Réseau N3". */
export interface AwaitingEscalation {
  ref: string;
  team: string;
}

/** What a follow-up answer adds to the ticket's status: "unchanged since" (Relance 2), an escalation awaiting. */
export interface StatusOptions {
  unchanged?: boolean;
  escalation?: AwaitingEscalation;
  /** Its posts that did not go out when promised (refused for good, or still waiting). */
  undelivered?: readonly UndeliveredPost[];
}

/** How tickets read in any language: the standard summary of seed 002, queue rows, SLA state. */

/** `at` writes the post's times (its zone stated once): a writer of its own when the text stands alone. */
export function slaText(x: Texts, t: Ticket, sla: SlaClock, now: DateTime, at: Moments = x.moments(now)): string {
  const s = slaStanding(t, sla, now);
  if (s.state === "paused" || s.state === "done") return x.t(`sla.${s.state}`);
  if (!s.target || !s.due) return t.priority === "P1" && !t.resolutionDue ? x.t("sla.asap") : x.t("ticket.none");
  return x.t(`sla.${s.state}`, { target: x.t(`sla.${s.target}`), due: at(s.due) });
}

export function priorityReason(x: Texts, t: Ticket): string {
  if (t.priorityReason === "default") return x.t("summary.default_reason");
  if (t.priorityReason === "follow_up") return x.t("summary.follow_up_reason");
  if (t.priorityReason.startsWith("impact=") && t.impact && t.urgency && t.workaround) {
    return x.t("summary.assessment_reason", {
      impact: x.t(`choice.impact.${t.impact}`).split(" (")[0],
      urgency: x.t(`choice.urgency.${t.urgency}`).split(" (")[0],
      workaround: x.t(`choice.workaround.${t.workaround}`),
    });
  }
  return t.priorityReason;
}

/** Résumé, Priorité (raison), Dernière action, En cours, Bloqué par, Prochaine étape, Prochain point, Workaround. */
export function summaryBlocks(
  x: Texts,
  t: TicketStatus,
  sla: SlaClock,
  now: DateTime,
  opts: StatusOptions = {},
): Block[] {
  const none = x.t("ticket.none");
  const at = x.moments(now);
  // A follow-up action of an outage: which one, and by when (src/outages/follow-ups.ts). Written
  // first, as it is shown first: its time states the zone.
  const followUp =
    t.followUpOf !== undefined && t.dueAt
      ? x.t("summary.follow_up_of", { outage: outageRef(t.followUpOf), due: at(t.dueAt) })
      : undefined;
  const summary = [t.title, t.scope, t.impact ? x.t(`choice.impact.${t.impact}`) : undefined]
    .filter(Boolean)
    .join(" — ");
  const inProgress = [
    t.stage ? `${x.t(`choice.stage.${t.stage}`)} (${x.t(`status.${t.status}`)})` : x.t(`status.${t.status}`),
    opts.escalation ? x.t("escalation.awaiting_ack", { ...opts.escalation }) : undefined,
  ]
    .filter(Boolean)
    .join(" — ");
  const nextStep = t.nextAction ? `${t.nextAction} (${t.ownerName ?? x.t("ticket.nobody")})` : none;
  const workaround =
    t.workaroundText ?? (t.workaround ? x.t(`choice.workaround.${t.workaround}`) : x.t("ticket.not_applicable"));
  const fields = [
    { label: x.t("summary.summary"), value: summary },
    {
      label: x.t("summary.priority"),
      value: x.t("summary.priority_value", { priority: t.priority, reason: priorityReason(x, t) }),
    },
    { label: x.t("summary.last_action"), value: lastAction(x, t, at) ?? none },
    { label: x.t("summary.in_progress"), value: inProgress },
    { label: x.t("summary.blocked_by"), value: t.blocker ?? none },
    { label: x.t("summary.next_step"), value: nextStep },
    {
      label: x.t("summary.next_update"),
      value: t.nextUpdateDue ? at(t.nextUpdateDue) : x.t("summary.next_update_none"),
    },
    { label: x.t("summary.workaround"), value: workaround },
  ];
  const extra = [
    { label: x.t("summary.owner"), value: t.ownerName ?? x.t("ticket.nobody") },
    { label: x.t("summary.sla"), value: slaText(x, t, sla, now, at) },
  ];
  if (t.requester || t.department || t.workstation) {
    extra.unshift({
      label: x.t("summary.requester"),
      value: x.t("summary.requester_value", {
        requester: t.requester ?? none,
        department: t.department ?? none,
        workstation: t.workstation ?? none,
      }),
    });
  }
  if (t.resolutionKind) {
    extra.push({
      label: x.t("summary.resolution"),
      value: [x.t(`choice.kind.${t.resolutionKind}`), t.resolutionNote, t.alternative].filter(Boolean).join(" — "),
    });
  }
  return [
    { type: "header", text: x.t("summary.title", { ref: ref(t.id), title: t.title }) },
    ...(followUp ? [{ type: "context" as const, text: followUp }] : []),
    { type: "fields", fields },
    { type: "fields", fields: extra },
    ...(t.via ? [{ type: "context" as const, text: x.t("link.via", { ref: t.via.ref, at: at(t.via.at) }) }] : []),
    ...(opts.undelivered?.length ? [{ type: "list" as const, items: undeliveredLines(x, opts.undelivered, at) }] : []),
    { type: "context", text: threePart(x, t, opts, at) },
  ];
}

/** The last action: for a ticket following an outage or a parent, that record's last update first. */
function lastAction(x: Texts, t: TicketStatus, at: Moments): string | undefined {
  if (!t.via) return t.lastAction;
  const update = x.t("link.last_update", { ref: t.via.ref, at: at(t.via.at) });
  return t.lastAction ? `${update} — ${t.lastAction}` : update;
}

/**
 * The stable answer to repeated follow-ups (seed 002): state, next step, next update time. A second
 * follow-up the same day with nothing new keeps the same stage and time: "Statut inchangé" (Relance 2).
 * An escalation not yet taken over is part of the state.
 */
export function threePart(x: Texts, t: TicketStatus, opts: StatusOptions = {}, at: Moments = x.moments()): string {
  const state = [
    t.stage ? `${x.t(`status.${t.status}`)}, ${x.t(`choice.stage.${t.stage}`)}` : x.t(`status.${t.status}`),
    opts.escalation ? x.t("escalation.awaiting_ack", { ...opts.escalation }) : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const when = t.nextUpdateDue ? at(t.nextUpdateDue) : x.t("summary.next_update_none");
  if (opts.unchanged) return x.t("link.unchanged", { state, when });
  return x.t("summary.three_part", { state, next: t.nextAction ?? x.t("ticket.none"), when });
}

/** `at` writes the times of the post the row is in (the zone stated once); a writer of its own by default. */
export function queueRow(x: Texts, t: Ticket, sla: SlaClock, now: DateTime, at: Moments = x.moments(now)): string {
  return x.t("list.row", {
    ref: ref(t.id),
    priority: t.priority,
    status: x.t(`status.${t.status}`),
    title: t.title,
    owner: t.ownerName ?? x.t("ticket.nobody"),
    sla: slaText(x, t, sla, now, at),
  });
}

/**
 * The ticket card: reference, priority, status, owner and SLA, with its buttons while the ticket is
 * open. Posted once per channel surface and edited in place; the ticket's thread hangs under it.
 */
export function ticketCard(x: Texts, t: Ticket, sla: SlaClock, now: DateTime): Reply {
  const value = String(t.id);
  const blocks: Block[] = [
    { type: "title", text: `${ref(t.id)} · ${t.title}` },
    {
      type: "fields",
      fields: [
        { label: x.t("card.priority"), value: t.priority },
        { label: x.t("card.status"), value: x.t(`status.${t.status}`) },
        { label: x.t("card.owner"), value: t.ownerName ?? x.t("ticket.nobody") },
        { label: x.t("card.sla"), value: slaText(x, t, sla, now) },
      ],
    },
  ];
  if (isOpen(t)) {
    blocks.push({
      type: "actions",
      actions: [
        { id: "ticket_take", label: x.t("button.take"), value, style: "primary" },
        { id: "ticket_update", label: x.t("button.update"), value, style: "secondary" },
        { id: "ticket_resolve", label: x.t("button.resolve"), value, style: "success" },
        { id: "ticket_escalate", label: x.t("button.escalate"), value, style: "danger" },
        // Declare the outage from a P1/P2 ticket not yet linked to one (issue 12).
        ...(t.outageId === undefined && t.priority !== "P3"
          ? [{ id: "ticket_declare" as const, label: x.t("button.declare"), value, style: "danger" as const }]
          : []),
      ],
    });
  }
  const accent = t.priority === "P1" ? "high" : t.priority === "P2" ? "medium" : "low";
  return { blocks, ephemeral: false, accent };
}
