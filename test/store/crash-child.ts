/**
 * Fixture for crash.test.ts: opens the store at argv[2] and updates T-1, dying with SIGKILL in the
 * middle of the transaction (after the ticket row was written, before its timeline event was).
 */
import { DateTime } from "luxon";
import { openSqliteStore } from "../../src/store/database.ts";

const store = await openSqliteStore(`file:${process.argv[2]}`);
const at = DateTime.utc();
await store.tickets.update(
  1,
  { title: "half-written", status: "in_progress", updatedAt: at },
  {
    at,
    actor: { id: "crash", name: "Crash" },
    kind: "updated",
    data: {
      // Serialised while the transaction is open, right after the ticket UPDATE ran.
      get boom() {
        process.kill(process.pid, "SIGKILL");
        return 0;
      },
    },
  },
);
process.stdout.write("survived\n");
