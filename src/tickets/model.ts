import type { DateTime } from "luxon";
import type { Impact, Priority, Urgency, Workaround } from "./priority.ts";

/** A ticket as the domain sees it (the store maps rows to this shape). */
export const STATUSES = ["new", "acknowledged", "in_progress", "waiting", "resolved", "closed"] as const;
export type Status = (typeof STATUSES)[number];

export const WAITING_ON = ["requester", "third-party", "validation"] as const;
export type WaitingOn = (typeof WAITING_ON)[number];

/** "won't do" needs the alternative offered (seed 001: "trouvez une méthode alternative"). */
export const RESOLUTION_KINDS = ["fixed", "workaround", "wont_do"] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

/** Requester profiles of seed 000 §I.A. */
export const PROFILES = ["novice", "intermediate", "advanced", "expert"] as const;
export type Profile = (typeof PROFILES)[number];

export const STAGES = ["diagnostic", "reproduction", "log_analysis", "validation", "deployment"] as const;
export type Stage = (typeof STAGES)[number];

export interface Identification {
  /** The requester's name as given (a caller with no chat account is only a name). */
  requester?: string;
  /** The requester as a chat user ("slack:U123", "discord:123", "shell:ana"), when Relais can reach them. */
  requesterId?: string;
  department?: string;
  workstation?: string;
  profile?: Profile;
}

/** The five diagnostic questions (seed 000 §II.A ③). */
export interface Diagnostic {
  since?: string;
  changed?: string;
  reproducible?: string;
  scope?: string;
  errorMessage?: string;
}

export interface Ticket extends Identification, Diagnostic {
  id: number;
  title: string;
  status: Status;
  priority: Priority;
  priorityReason: string;
  impact?: Impact;
  urgency?: Urgency;
  workaround?: Workaround;
  workaroundText?: string;
  createdBy: string;
  ownerId?: string;
  ownerName?: string;
  createdAt: DateTime;
  clockStart: DateTime;
  firstResponseAt?: DateTime;
  firstResponseDue: DateTime;
  nextUpdateDue?: DateTime;
  resolutionDue?: DateTime;
  waitingOn?: WaitingOn;
  waitingFor?: string;
  pausedAt?: DateTime;
  stage?: Stage;
  blocker?: string;
  nextAction?: string;
  lastAction?: string;
  resolvedAt?: DateTime;
  resolutionKind?: ResolutionKind;
  resolutionNote?: string;
  alternative?: string;
  autoCloseAt?: DateTime;
  closedAt?: DateTime;
  updatedAt: DateTime;
  /** Incremented by every write (optimistic concurrency). */
  version: number;
  /** A proposed new owner who has not accepted yet. */
  pendingOwnerId?: string;
  pendingOwnerName?: string;
  /** The ticket this one hangs under: tickets about the same problem share one parent. */
  parentId?: number;
  /** The outage declared from this ticket or linked to it: the outage's status is the ticket's. */
  outageId?: number;
  /** The outage this ticket is a follow-up action of (src/outages/follow-ups.ts); not its status. */
  followUpOf?: number;
  /** When the follow-up action is due. */
  dueAt?: DateTime;
}

export function ref(id: number): string {
  return `T-${id}`;
}

export const OPEN_STATUSES: readonly Status[] = ["new", "acknowledged", "in_progress", "waiting"];

export function isOpen(t: Pick<Ticket, "status">): boolean {
  return OPEN_STATUSES.includes(t.status);
}
