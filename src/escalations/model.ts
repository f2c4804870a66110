import type { DateTime } from "luxon";

/** Seed 003 §"catégorisez": the triggers an escalation answers. */
export const ESCALATION_TYPES = [
  "technical",
  "billing",
  "legal",
  "security",
  "reputation",
  "vip",
  "repetition",
  "decision_blocked",
] as const;
export type EscalationType = (typeof ESCALATION_TYPES)[number];

/** Seed 004: functional (to a more specialised team) or hierarchical (to a higher authority). */
export const DIRECTIONS = ["functional", "hierarchical"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const URGENCY_LEVELS = ["immediate", "24h", "72h"] as const;
export type UrgencyLevel = (typeof URGENCY_LEVELS)[number];

export type EscalationStatus = "sent" | "acknowledged" | "info_requested" | "decided";

/** The note's seven sections (seed 003, "note interne standard") and its arbitration. */
export interface Escalation {
  id: number;
  ticketId: number;
  type: EscalationType;
  direction: Direction;
  targetTeam: string;
  /** 3W — why: the need it answers (competence, authority, risk). */
  why: string;
  context: string;
  facts: string;
  evidence?: string;
  actionsTaken?: string;
  request: string;
  urgency: UrgencyLevel;
  impact: string;
  deadline?: string;
  recommendation?: string;
  /** 3W — when: the next update promised to the requester. */
  nextUpdateAt: DateTime;
  subject: string;
  status: EscalationStatus;
  /** The escalating technician: stays answerable until the receiving side takes over. */
  ownerId: string;
  ownerName: string;
  platform: string;
  channel: string;
  ackById?: string;
  ackByName?: string;
  ackEta?: DateTime;
  decisionOption?: string;
  decisionRationale?: string;
  decisionOwner?: string;
  decidedById?: string;
  decidedByName?: string;
  followUps: number;
  createdAt: DateTime;
  version: number;
}

export function escalationRef(id: number): string {
  return `E-${id}`;
}
