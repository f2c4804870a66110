import type Database from "better-sqlite3";
import { RelaisError } from "../errors.ts";
import { currentUnit, inUrgentLane, lostInUnit } from "./ambient-transaction.ts";
import { transactionOn } from "./sqlite-transaction.ts";

/**
 * The few writes of a ticket's creation without Prisma's per-query cost (issue 16), inside the
 * current unit of work of the store they belong to. Undefined (nothing done) outside such a unit:
 * the repository goes through Prisma then. SQL is written with `?` placeholders and quoted table
 * names; each store's hot path adapts it to its database.
 */
export interface HotPath {
  /** Inserts `row` (column → value, as Prisma's create would take it) into `table`; its id. */
  insert(table: string, row: Readonly<Record<string, unknown>>): Promise<number | undefined>;
  /** Runs one write statement; the number of rows it changed. */
  run(sql: string, values: readonly unknown[]): Promise<number | undefined>;
  /**
   * Runs `work` as a transaction of its own, outside any unit, in the store's turn (ahead of the
   * queued units in the urgent lane), its statements run at once without Prisma: what an ack waits
   * for, at the least cost (issue 16). Undefined where the store has none (PostgreSQL) or in a unit.
   */
  transaction?<T>(work: (w: HotWrites) => T): Promise<T> | undefined;
  /**
   * Runs one read as a prepared statement — inside a unit of this store, in its transaction;
   * outside any, in the store's turn: its rows, column → value as SQLite holds it (dates as
   * Prisma's ISO text). Undefined where the store has none (PostgreSQL) or in another store's unit.
   */
  read?(sql: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> | undefined;
}

/**
 * `INSERT INTO "table" ("a", "b") VALUES (?, ?)`, then `tail` (` RETURNING …`, ` ON CONFLICT …`):
 * a row as every hot path writes it, `?` placeholders (PostgreSQL's path numbers them).
 */
export function insertSql(table: string, columns: readonly string[], tail = ""): string {
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})${tail}`;
}

/** Works waiting for a shared transaction, and how to tell their callers. */
type Batch = { work: (w: HotWrites) => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[];

/** The statements of a `HotPath.transaction`, run at once. */
export interface HotWrites {
  insert(table: string, row: Readonly<Record<string, unknown>>): number;
  run(sql: string, values: readonly unknown[]): number;
}

/**
 * The writes every `/ticket <title>` makes (the ticket row, its timeline event, its timer jobs) as
 * prepared statements on SQLite (issue 16): Prisma 7 compiles and maps each query in JS, which cost
 * more than SQLite itself. They run only inside a unit of work of this store, on Prisma's own
 * connection (the one its transaction's BEGIN ran on): they are part of that transaction, committed
 * or rolled back with the rest, and take turns with everything else as the unit does. Outside a
 * unit, the repositories go through Prisma as before. Values are written as Prisma's adapter
 * writes them (dates as ISO text with `+00:00`), so Prisma reads these rows like its own.
 */
export class SqliteHotPath implements HotPath {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    /** Prisma's connection (undefined until Prisma has connected). */
    private readonly connection: () => Database.Database | undefined,
    private readonly lost: () => string | undefined,
    /** The store's turns on that connection (src/store/defended-client.ts). */
    private readonly turn?: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  /** The connection, when the code runs inside a unit of work of this store; undefined otherwise. */
  private inUnit(): Database.Database | undefined {
    const unit = currentUnit();
    const db = this.connection();
    if (!unit || !db || unit.connection !== db) return undefined;
    if (lostInUnit(this.lost)) throw new RelaisError("database_unavailable");
    return db;
  }

  /** The connection, in the store's turn outside a unit: refused when the database file is lost. */
  private live(): Database.Database {
    const db = this.connection();
    if (!db || this.lost()) throw new RelaisError("database_unavailable");
    return db;
  }

  private statement(db: Database.Database, sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (s.reader) s.safeIntegers(false);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Inserts `row` (column → value, as Prisma's create would) into `table`; returns its id. */
  async insert(table: string, row: Readonly<Record<string, unknown>>): Promise<number | undefined> {
    const db = this.inUnit();
    return db ? this.writes(db).insert(table, row) : undefined;
  }

  /** Runs one write statement with positional values; the number of rows changed, or undefined outside a unit. */
  async run(sql: string, values: readonly unknown[]): Promise<number | undefined> {
    const db = this.inUnit();
    return db ? this.writes(db).run(sql, values) : undefined;
  }

  read(sql: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> | undefined {
    // Inside a unit of this store: on its connection, in its transaction.
    const inUnit = this.inUnit();
    if (inUnit)
      return Promise.resolve(this.statement(inUnit, sql).all(values.map(sqliteValue)) as Record<string, unknown>[]);
    const turn = this.turn;
    if (!turn || !this.connection() || currentUnit()) return undefined;
    return turn(async () => this.statement(this.live(), sql).all(values.map(sqliteValue)) as Record<string, unknown>[]);
  }

  /**
   * Own transactions asked for in one turn of the event loop share one SQLite transaction, each in
   * a savepoint of its own (one failing rolls back only itself): a burst's commands recorded before
   * their acks cost one COMMIT — one write of the log's pages — instead of one each (issue 16).
   * Every caller's promise settles once the shared COMMIT is done, so nothing is acknowledged
   * before its record is committed. A batch takes its place in the store's turns when its first
   * work is asked for, in that caller's lane (an ack's record goes ahead of the queued units), and
   * runs once the requests read in this turn of the loop have added theirs.
   */
  transaction<T>(work: (w: HotWrites) => T): Promise<T> | undefined {
    const turn = this.turn;
    if (!turn || !this.connection() || currentUnit()) return undefined;
    const lane = inUrgentLane() ? "urgent" : "queued";
    return new Promise<T>((resolve, reject) => {
      let batch = this.open[lane];
      if (!batch) {
        const items: Batch = [];
        batch = this.open[lane] = items;
        turn(async () => {
          await new Promise((r) => setImmediate(r));
          if (this.open[lane] === items) this.open[lane] = undefined; // later work starts another batch
          return this.runBatch(items);
        }).then(
          (outcomes) => {
            for (const [k, o] of outcomes.entries()) {
              if ("error" in o) items[k]!.reject(o.error);
              else items[k]!.resolve(o.value);
            }
          },
          (e: unknown) => {
            for (const i of items) i.reject(e);
          },
        );
      }
      batch.push({ work, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** The batch being gathered in each lane (until it runs). */
  private readonly open: { urgent?: Batch | undefined; queued?: Batch | undefined } = {};

  /**
   * One transaction, a savepoint per work; each work's value or error. Its statements prepared once
   * (better-sqlite3's `transaction()` built five functions per call: one per record, at every ack),
   * the transaction begun as a unit's is.
   */
  private runBatch(items: Batch): ({ value: unknown } | { error: unknown })[] {
    const db = this.live();
    const writes = this.writes(db);
    const run = (sql: string) => this.statement(db, sql).run();
    const t = transactionOn(db);
    try {
      const outcomes =
        items.length === 1
          ? [{ value: items[0]!.work(writes) }]
          : items.map((i) => {
              run("SAVEPOINT hot");
              try {
                const value = i.work(writes);
                run("RELEASE hot");
                return { value };
              } catch (error) {
                run("ROLLBACK TO hot");
                run("RELEASE hot");
                return { error };
              }
            });
      t.commit();
      return outcomes;
    } catch (e) {
      t.rollback();
      throw e;
    }
  }

  private writes(db: Database.Database): HotWrites {
    return {
      insert: (table, row) => {
        const columns = Object.keys(row);
        const sql = insertSql(table, columns);
        return Number(this.statement(db, sql).run(columns.map((c) => sqliteValue(row[c]))).lastInsertRowid);
      },
      run: (sql, values) => this.statement(db, sql).run(values.map(sqliteValue)).changes,
    };
  }
}

/** A date read back from a column written as `sqliteValue` (and Prisma's adapter) write it. */
export function sqliteDate(v: unknown): Date {
  return new Date(v as string);
}

/** A row read by `HotPath.read` as Prisma would give it: its `dates` columns as Dates (null stays null). */
export function withSqliteDates<T>(row: Record<string, unknown>, dates: Iterable<string>): T {
  const out = { ...row };
  for (const d of dates) if (out[d] !== null && out[d] !== undefined) out[d] = sqliteDate(out[d]);
  return out as T;
}

/** A value as Prisma's better-sqlite3 adapter binds it (timestampFormat "iso8601"). */
function sqliteValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}
