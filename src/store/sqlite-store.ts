import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.ts";
import {
  type OpenOptions,
  type Store,
  DatabaseMissingError,
  DEFAULT_DATABASE_URL,
  sqlitePath,
  storeOver,
} from "./store.ts";
import { defendedClient } from "./defended-client.ts";
import { migrateSqlite } from "./migrate-sqlite.ts";
import { SqliteFileIdentity } from "./sqlite-file.ts";
import { SqliteCheckpointer } from "./sqlite-checkpointer.ts";
import { SqliteHotPath } from "./sqlite-hot-path.ts";
import { transactionOn } from "./sqlite-transaction.ts";
import { withCachedStatements } from "./prisma-statement-cache.ts";

/** How often a SQLite store checks, with no query to run, that its file is still the one it opened. */
const FILE_CHECK_MS = 5000;

/**
 * Opens the SQLite database at `url` (created if missing, unless `expectExisting`), switches it to
 * WAL, applies pending migrations, and returns the store. From then on the file's identity is
 * checked before every query and every few seconds (src/store/sqlite-file.ts).
 */
export async function openSqliteStore(url = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Promise<Store> {
  const path = sqlitePath(url);
  const memory = path === ":memory:";
  // A database is there when the file is, with Relais's migrations table in it.
  let created = memory || !existsSync(path);
  if (created && opts.expectExisting) throw new DatabaseMissingError(path);
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    if (!created && !db.prepare(`SELECT 1 FROM sqlite_master WHERE name = '_prisma_migrations'`).get()) {
      if (opts.expectExisting) throw new DatabaseMissingError(path);
      created = true;
    }
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrateSqlite(db);
    releaseClaims(db);
  } finally {
    db.close();
  }
  // WAL is a property of the file, so Prisma's own connection inherits it. That connection is kept
  // too: the hot path's prepared statements run on it, inside the unit's transaction.
  const factory = new PrismaBetterSqlite3({ url: path, timeout: 5000 });
  let connection: Database.Database | undefined;
  const adapter: typeof factory = Object.assign(Object.create(factory) as typeof factory, {
    connect: async () => {
      const opened = await factory.connect();
      connection = (opened as unknown as { client: Database.Database }).client;
      // SQLite checkpoints inside the commit that takes the log past wal_autocheckpoint pages:
      // 5–30 ms with the event loop held, about every 70 tickets, landing in bursts of acks (issue
      // 16). The log is checkpointed from another thread instead (src/store/quiet-checkpoints.ts,
      // sqlite-checkpointer.ts); this bound (40 MiB of log) only backs that up.
      connection.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      (opened as unknown as { client: Database.Database }).client = withCachedStatements(connection);
      return opened;
    },
  });
  const base = new PrismaClient({ adapter });
  await base.$connect();
  const file = memory ? undefined : new SqliteFileIdentity(path, opts.log);
  const lost = () => file?.problem();
  const check = file ? setInterval(lost, FILE_CHECK_MS).unref() : undefined;
  const defended = defendedClient(base, {
    lost,
    log: opts.log,
    serialized: true,
    ownTransaction: () => (connection ? transactionOn(connection) : undefined),
  });
  const store = storeOver(base, defended, {
    created,
    location: path,
    lost,
    probeSql: `UPDATE "_prisma_migrations" SET "applied_steps_count" = "applied_steps_count" WHERE 1 = 0`,
    hot: new SqliteHotPath(() => connection, lost, defended.turn),
  });
  // Checkpoints from a thread of their own, never holding this connection's event loop; only when
  // this connection changed rows since the last one (the thread ends when there is nothing to do).
  const checkpointer = memory ? undefined : new SqliteCheckpointer(path);
  let changes: Database.Statement | undefined;
  let checkpointedAt: number | undefined;
  return {
    ...store,
    checkpoint: async () => {
      if (!checkpointer || !connection?.open || lost()) return 0;
      // Prepared on the connection Prisma holds now (a reconnect gives another).
      if (changes?.database !== connection)
        changes = connection.prepare("SELECT total_changes() AS n").safeIntegers(false);
      const now = (changes.get() as { n: number }).n;
      if (now === checkpointedAt) return 0;
      const pages = await checkpointer.checkpoint();
      checkpointedAt = now;
      return pages;
    },
    close: async () => {
      clearInterval(check);
      await checkpointer?.close();
      return store.close();
    },
  };
}

/** Pages of write-ahead log (4 KiB each) past which a commit checkpoints it itself. */
const AUTOCHECKPOINT_PAGES = 10_000;

/**
 * One Relais runs on a SQLite file (several replicas need PostgreSQL), so a claim found at open was
 * left by a process that died holding it (SIGKILL, power cut): released, its post, job or
 * acknowledged command is taken at the first pass instead of after its lease (RELAIS_LEASE_MS, a
 * minute by default), which would hold every later post of that channel behind it. The claim's attempt stays counted, so a post that may
 * have reached the platform before the crash is looked for before it is sent again.
 */
function releaseClaims(db: Database.Database): void {
  for (const table of ["OutboxMessage", "Job", "RecordedCommand"]) {
    db.prepare(
      `UPDATE "${table}" SET "claimedBy" = NULL, "leaseUntil" = NULL WHERE "status" = 'pending' AND "leaseUntil" IS NOT NULL`,
    ).run();
  }
}
