import type { Actor } from "../timeline/events.ts";
import { ref } from "../tickets/model.ts";
import type { StatusOptions } from "../tickets/views.ts";
import type { TicketStatus } from "../tickets/service.ts";
import type { Services } from "./command.ts";

/**
 * A follow-up on a ticket (`/ticket show T-12`, `@Relais T-12`): its status as the team tells it
 * (an outage's or a parent's when it follows one), "unchanged" for the same person's second
 * follow-up of the day with no new fact (seed 002, "Relance 2"), and an escalation not yet taken over.
 */
export async function followUp(
  services: Services,
  actor: Actor,
  id: number,
): Promise<{ ticket: TicketStatus; opts: StatusOptions }> {
  const { ticket, unchanged } = await services.tickets.followUp(actor, id);
  const escalation = await services.escalations.awaiting(ticket.id);
  const undelivered = await services.delivery.problems(ref(ticket.id));
  return {
    ticket,
    opts: { unchanged, ...(escalation ? { escalation } : {}), ...(undelivered.length ? { undelivered } : {}) },
  };
}
