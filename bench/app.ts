import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { createRelais, type Relais } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { loadPolicy } from "../src/config/policy.ts";
import type { CommandContext } from "../src/kit/command.ts";
import { openStore, type Store } from "../src/store/database.ts";
import { QuietCheckpoints } from "../src/store/quiet-checkpoints.ts";

/**
 * The app as a surface builds it, on a real SQLite file in a fresh temp folder, its write-ahead log
 * checkpointed from a thread as `npm start` does (src/main.ts): left to SQLite, the commit that
 * fills the log copies it with the event loop held (30–50 ms, every 500 or so creations here).
 */
export interface BenchApp {
  dir: string;
  dbPath: string;
  store: Store;
  clock: ManualClock;
  relais: Relais;
  ctx: CommandContext;
  /** Closes the store and deletes the temp folder. */
  close(): Promise<void>;
}

export const POLICY_PATH = new URL("../config/policy.yaml", import.meta.url).pathname;

/** With `url`, the store is that database (PostgreSQL for the comparison); a SQLite file otherwise. */
export async function openBenchApp(url?: string, at?: DateTime): Promise<BenchApp> {
  const dir = mkdtempSync(join(tmpdir(), "relais-bench-"));
  try {
    const dbPath = join(dir, "bench.db");
    const store = await openStore(url ?? `file:${dbPath}`);
    const policy = loadPolicy(POLICY_PATH);
    // A Tuesday, inside business hours (unless told), read in UTC as `npm start`'s clock reads
    // (src/clock.ts): a DateTime in a named zone costs luxon 5–25 µs an operation, not production's.
    const clock = new ManualClock((at ?? DateTime.fromISO("2026-11-24T10:00:00", { zone: "Europe/Paris" })).toUTC());
    const relais = createRelais({ store, policy, clock });
    const ctx = relais.context({ id: "bench", name: "Bench" });
    const checkpoints = new QuietCheckpoints({ store, acks: relais.acks });
    checkpoints.start();
    return {
      dir,
      dbPath,
      store,
      clock,
      relais,
      ctx,
      close: async () => {
        try {
          await checkpoints.stop();
          await store.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
