import type Database from "better-sqlite3";

/**
 * A transaction begun on `db` (deferred, as Prisma's own BEGIN): a unit of work's, and the batch of
 * records before acks (sqlite-hot-path.ts). A Prisma operation that opens a transaction of its own
 * (a nested write) would be refused inside it ("cannot start a transaction within a transaction"):
 * the repositories write rows one by one.
 */
export function transactionOn(db: Database.Database): {
  connection: Database.Database;
  commit(): void;
  /** Rolls back what is still open (nothing after a failed COMMIT that already ended it). */
  rollback(): void;
} {
  let s = transactionStatements.get(db);
  if (!s) {
    s = { begin: db.prepare("BEGIN"), commit: db.prepare("COMMIT"), rollback: db.prepare("ROLLBACK") };
    transactionStatements.set(db, s);
  }
  const { begin, commit, rollback } = s;
  begin.run();
  return {
    connection: db,
    commit: () => {
      commit.run();
    },
    rollback: () => {
      if (db.inTransaction) rollback.run();
    },
  };
}

/** BEGIN, COMMIT and ROLLBACK prepared once per connection (a prepare per unit showed in the profile). */
const transactionStatements = new WeakMap<
  Database.Database,
  { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement }
>();
