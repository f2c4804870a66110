import { StaleTicketError } from "./ticket-repository.ts";

/**
 * Runs a read-check-write operation again when its record changed under it (a double click, two
 * replicas), so every rule is checked against the state actually written. Five tries at most.
 */
export async function retryOnStale<T>(operation: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof StaleTicketError) || tries >= 5) throw e;
    }
  }
}
