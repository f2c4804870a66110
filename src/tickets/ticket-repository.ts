import type { Priority } from "./priority.ts";
import type { Status, Ticket } from "./model.ts";
import type { NewEvent, TimelineEvent } from "../timeline/events.ts";

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
  /** Open queue order: priority, then arrival (FIFO, seed 002). */
  list(query: TicketQuery): Promise<Ticket[]>;
  count(query: Omit<TicketQuery, "limit">): Promise<number>;
  timeline(id: number): Promise<TimelineEvent[]>;
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
