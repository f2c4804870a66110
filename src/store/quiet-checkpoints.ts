import type { Logger } from "pino";
import type { AckPressure } from "../kit/after-ack.ts";
import { Periodic } from "../periodic.ts";
import type { Store } from "./store.ts";

/** How often the write-ahead log is looked at: a checkpoint then copies about this long's writes. */
const EVERY_MS = 250;

/**
 * SQLite's write-ahead log checkpointed while no request waits for its ack (issue 16). Left to
 * SQLite, the commit that takes the log past its bound copies a thousand pages into the database
 * file with the event loop held (5–30 ms, measured), about every 70 tickets: in a burst, the acks
 * behind it waited as long. Here a passive checkpoint runs every quarter second, from a thread of
 * its own (the store's `checkpoint`), once the acks waiting are done (AckPressure.quiet, which
 * never waits more than a second): its disk writes stay out of a burst's way too. Nothing to do
 * on PostgreSQL.
 */
export class QuietCheckpoints extends Periodic<number> {
  constructor(
    private readonly d: {
      store: Pick<Store, "checkpoint">;
      acks: Pick<AckPressure, "quiet">;
      log?: Logger | undefined;
    },
  ) {
    super({ failure: "checkpoint failed", intervalMs: EVERY_MS, log: d.log });
  }

  override start(intervalMs?: number): void {
    if (this.d.store.checkpoint) super.start(intervalMs);
  }

  /** One checkpoint once quiet; the pages it copied. */
  protected async pass(): Promise<number> {
    if (!this.d.store.checkpoint) return 0;
    await this.d.acks.quiet();
    return this.d.store.checkpoint();
  }

  /** A checkpoint now (once quiet), as a pass of the interval would run it. */
  now(): Promise<number> {
    return this.run();
  }
}
