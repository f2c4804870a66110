import type { DateTime } from "luxon";

/** Who did something: a platform user id and the name shown to people. */
export interface Actor {
  id: string;
  name: string;
  /** Platform roles (Discord role ids), for the managers' role of the policy. */
  roles?: readonly string[];
}

/** Relais itself, as the actor of what it does on its own (auto-close, follow-ups, no-change updates). */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: "system:relais", name: "Relais" });

/** Every change on a ticket is one of these (rule: who, when, what, why). */
export const EVENT_KINDS = [
  "created",
  "taken",
  "updated",
  "priority_changed",
  "waiting",
  "resumed",
  "resolved",
  "confirmed",
  "closed",
  "reopened",
  "escalated",
  "escalation_acknowledged",
  "info_requested",
  "info_provided",
  "escalation_follow_up",
  "decided",
  "decision_announced",
  "repetition_flagged",
  "handover_proposed",
  "handover_accepted",
  "reassigned",
  // One story (issue 12): links between tickets and to an outage, and follow-ups (seed 002 "relance").
  "linked",
  "child_linked",
  "outage_linked",
  "followed_up",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface NewEvent {
  at: DateTime;
  actor: Actor;
  kind: EventKind;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface TimelineEvent extends NewEvent {
  id: number;
  ticketId: number;
  data: Record<string, unknown>;
}
