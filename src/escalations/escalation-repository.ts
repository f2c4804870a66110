import type { Escalation } from "./model.ts";

export type NewEscalation = Omit<Escalation, "id" | "version" | "followUps">;
export type EscalationPatch = Partial<Omit<Escalation, "id" | "version" | "ticketId" | "createdAt">>;

/** Escalation notes; `update` writes only at `expectedVersion` (StaleWriteError otherwise). */
export interface EscalationRepository {
  create(e: NewEscalation): Promise<Escalation>;
  get(id: number): Promise<Escalation | undefined>;
  /** The escalations of a ticket, oldest first. */
  forTicket(ticketId: number): Promise<Escalation[]>;
  /** Notes sent and not yet acknowledged (their follow-ups are due), oldest first. */
  awaitingAcknowledgement(limit: number): Promise<Escalation[]>;
  update(id: number, patch: EscalationPatch, expectedVersion: number): Promise<Escalation>;
}
