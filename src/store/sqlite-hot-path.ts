import type Database from "better-sqlite3";
import { RelaisError } from "../errors.ts";
import { currentUnit } from "./ambient-transaction.ts";

/**
 * The writes every `/ticket <title>` makes (the ticket row, its timeline event, its timer jobs) as
 * prepared statements on SQLite (issue 16): Prisma 7 compiles and maps each query in JS, which cost
 * more than SQLite itself. They run only inside a unit of work of this store, on Prisma's own
 * connection (the one its transaction's BEGIN ran on): they are part of that transaction, committed
 * or rolled back with the rest, and take turns with everything else as the unit does. Outside a
 * unit, the repositories go through Prisma as before. Values are written as Prisma's adapter
 * writes them (dates as ISO text with `+00:00`), so Prisma reads these rows like its own.
 */
export class SqliteHotPath {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    /** Prisma's connection (undefined until Prisma has connected). */
    private readonly connection: () => Database.Database | undefined,
    private readonly lost: () => string | undefined,
  ) {}

  /** The connection, when the code runs inside a unit of work of this store; undefined otherwise. */
  private inUnit(): Database.Database | undefined {
    const unit = currentUnit();
    const db = this.connection();
    if (!unit || !db || unit.connection !== db) return undefined;
    if (this.lost()) throw new RelaisError("database_unavailable");
    return db;
  }

  /** Whether the hot path can run here (inside a unit of this store). */
  ready(): boolean {
    return this.inUnit() !== undefined;
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
  insert(table: string, row: Readonly<Record<string, unknown>>): number | undefined {
    const db = this.inUnit();
    if (!db) return undefined;
    const columns = Object.keys(row);
    const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
    const info = this.statement(db, sql).run(columns.map((c) => sqliteValue(row[c])));
    return Number(info.lastInsertRowid);
  }

  /** Runs one write statement with positional values; the number of rows changed, or undefined outside a unit. */
  run(sql: string, values: readonly unknown[]): number | undefined {
    const db = this.inUnit();
    if (!db) return undefined;
    return this.statement(db, sql).run(values.map(sqliteValue)).changes;
  }
}

/** A value as Prisma's better-sqlite3 adapter binds it (timestampFormat "iso8601"). */
function sqliteValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}
