import type { DateTime } from "luxon";
import type { Priority } from "./priority.ts";
import type { Status, Ticket } from "./model.ts";
import type { NewEvent, TimelineEvent } from "../timeline/events.ts";
import type { SlaSubject } from "../sla/sla-state.ts";

/** A ticket before the store gives it its number. */
export type NewTicket = Omit<Ticket, "id" | "version">;
/** Fields to change; `null` clears an optional field, an absent key leaves it as it is. */
export type TicketPatch = {
  [K in keyof Omit<Ticket, "id" | "createdAt" | "createdBy" | "version">]?: Ticket[K] | null;
};

export interface TicketQuery {
  statuses: readonly Status[];
  priority?: Priority;
  ownerId?: string;
  limit: number;
  /** Rows of the queue's order skipped first (a page after the first). */
  offset?: number;
}

/**
 * The narrow store the ticket service needs. Every write that changes a ticket also appends its
 * timeline event, in one transaction: a crash leaves either both or neither.
 */
export interface TicketRepository {
  create(ticket: NewTicket, event: Omit<NewEvent, "kind"> & { kind: "created" }): Promise<Ticket>;
  get(id: number): Promise<Ticket | undefined>;
  /**
   * Applies `patch` and appends `event` atomically; returns the ticket as stored. With
   * `expectedVersion`, writes only if the ticket is still at that version, and throws
   * StaleWriteError otherwise (optimistic concurrency: two clicks, two replicas).
   */
  update(id: number, patch: TicketPatch, event: NewEvent, expectedVersion?: number): Promise<Ticket>;
  /**
   * Open queue order: priority, then arrival (FIFO, seed 002); `limit` rows after `offset`. Reads
   * through the (status, priority, id) and (ownerId, status, priority, id) indexes, one range per
   * status: the cost follows the page, not the number of open tickets.
   */
  list(query: TicketQuery): Promise<Ticket[]>;
  /** Up to `limit` tickets not closed (open or resolved) with an id above `afterId`, in id order. */
  liveAfter(afterId: number, limit: number): Promise<Ticket[]>;
  /** How many match, counted up to `atMost` when given (the count then reads `atMost` index entries at most). */
  count(query: Omit<TicketQuery, "limit" | "offset">, atMost?: number): Promise<number>;
  /**
   * The open tickets' SLA standing in aggregate (for /metrics), without reading every open ticket:
   * `breached`, the open unpaused tickets with a pending deadline passed at `now`, counted by
   * priority in the database; `soon`, up to `limit` of the others whose earliest pending deadline
   * falls by their priority's horizon (the only ones that can be at risk), with only what their
   * standing is read from, for the caller to judge (slaStanding).
   */
  slaTally(
    now: DateTime,
    horizons: Readonly<Record<Priority, DateTime>>,
    limit: number,
  ): Promise<{ breached: { priority: Priority; count: number }[]; soon: SlaSubject[] }>;
  timeline(id: number): Promise<TimelineEvent[]>;
  /**
   * The tickets with an event that a report counts (created, resolved, closed, reopened) in
   * [from, to), each with its timeline up to `to`, in id order: at most `limit` tickets
   * (`truncated` when there were more). Reads through the events' (kind, at) index.
   */
  activity(
    range: { from: DateTime; to: DateTime },
    limit: number,
  ): Promise<{ tickets: { ticket: Ticket; events: TimelineEvent[] }[]; truncated: boolean }>;
  /** Tickets linked to a parent ticket or to an outage, or an outage's follow-ups, in arrival order. */
  linked(to: { parentId: number } | { outageId: number } | { followUpOf: number }): Promise<Ticket[]>;
  /** Tickets opened since `since` by the same requester or for the same department (repetition). */
  sameSource(query: {
    since: Ticket["createdAt"];
    requester?: string;
    department?: string;
    excludeId: number;
    limit: number;
  }): Promise<Ticket[]>;
}
