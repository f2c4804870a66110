import type { Priority } from "../tickets/priority.ts";
import type { Status, Ticket } from "../tickets/model.ts";
import type { NewEvent, TimelineEvent } from "../timeline/events.ts";

/** A ticket before the store gives it its number. */
export type NewTicket = Omit<Ticket, "id">;
/** Fields to change; `null` clears an optional field, an absent key leaves it as it is. */
export type TicketPatch = { [K in keyof Omit<Ticket, "id" | "createdAt" | "createdBy">]?: Ticket[K] | null };

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
  /** Applies `patch` and appends `event` atomically; returns the ticket as stored. */
  update(id: number, patch: TicketPatch, event: NewEvent): Promise<Ticket>;
  /** Open queue order: priority, then arrival (FIFO, seed 002). */
  list(query: TicketQuery): Promise<Ticket[]>;
  count(query: Omit<TicketQuery, "limit">): Promise<number>;
  timeline(id: number): Promise<TimelineEvent[]>;
}
