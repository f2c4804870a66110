import type { DateTime } from "luxon";

/** A page of a longer list: the first items and how many there are in all ("and N more"). */
export interface Page<T> {
  items: T[];
  total: number;
}

/** A colleague's update waiting for the owner of its ticket or outage (one voice). */
export interface DeskDraft {
  id: number;
  /** "T-3" or "INC-2". */
  subject: string;
  authorName: string;
  createdAt: DateTime;
}

/** A ticket or an outage proposed to a person, not accepted yet. */
export interface DeskHandover {
  subject: string;
  title: string;
  /** Who stays answerable until it is accepted. */
  ownerName: string;
}

/** An escalation waiting for someone: a decision (managers) or the answer to a question (the owner). */
export interface DeskEscalation {
  id: number;
  ticketId: number;
  targetTeam: string;
  status: "sent" | "acknowledged" | "info_requested" | "decided";
  createdAt: DateTime;
}

/**
 * The bounded reads behind a person's desk (src/tickets/desk.ts), each a page: the store answers
 * with the first `limit` rows and a count, never the whole table.
 */
export interface DeskRepository {
  /** Pending drafts on the open tickets and ongoing outages `ownerId` owns, oldest first. */
  draftsAwaiting(ownerId: string, limit: number): Promise<Page<DeskDraft>>;
  /** Open tickets and ongoing outages proposed to `personId`, not accepted yet. */
  handoversAwaiting(personId: string, limit: number): Promise<Page<DeskHandover>>;
  /** Escalations not decided yet, oldest first: what managers decide. */
  undecided(limit: number): Promise<Page<DeskEscalation>>;
  /** Escalations asking for information on the open tickets `ownerId` owns: the owner answers. */
  questionsFor(ownerId: string, limit: number): Promise<Page<DeskEscalation>>;
  /** How many outages are ongoing (the desk lists the first few). */
  ongoingOutages(): Promise<number>;
}
