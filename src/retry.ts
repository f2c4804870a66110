/** What a stale write was about: the records written with optimistic concurrency. */
export type RecordKind = "ticket" | "outage" | "escalation";

/**
 * The record changed since it was read (a double click, two replicas): a repository's versioned
 * write found another version and wrote nothing. The caller reads again and retries.
 */
export class StaleWriteError extends Error {
  override name = "StaleWriteError";
  constructor(
    readonly kind: RecordKind,
    readonly id: number,
  ) {
    super(`${kind} ${id} changed since it was read`);
  }
}

/**
 * Runs a read-check-write operation again when its record changed under it (a double click, two
 * replicas), so every rule is checked against the state actually written. Five tries at most.
 */
export async function retryOnStale<T>(operation: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof StaleWriteError) || tries >= 5) throw e;
    }
  }
}
