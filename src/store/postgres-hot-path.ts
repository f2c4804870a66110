import { createHash } from "node:crypto";
import type pg from "pg";
import type { UnitConnections } from "./postgres-units.ts";
import { type HotPath, insertSql } from "./sqlite-hot-path.ts";

/** The same statements as the SQLite hot path (`?` placeholders), in the store's schema, on the unit's client. */
export class PostgresHotPath implements HotPath {
  private readonly translated = new Map<string, { name: string; text: string }>();

  constructor(
    private readonly connections: UnitConnections,
    private readonly schema: string,
  ) {}

  /**
   * `?` → `$n`, `INTO "T"` / `FROM "T"` / `UPDATE "T"` / `JOIN "T"` → the schema's table; named, so
   * each connection parses and plans it once and then only binds it (a ticket's statements are
   * long: the text sent, parsed and planned again at every ticket cost both processes' CPU).
   */
  private statement(sql: string, values: readonly unknown[]): pg.QueryConfig {
    let s = this.translated.get(sql);
    if (s === undefined) {
      let n = 0;
      const text = sql
        .replace(/\?/g, () => `$${++n}`)
        .replace(
          /\b(INTO|FROM|UPDATE|JOIN) "(\w+)"/g,
          (_, word: string, table: string) => `${word} "${this.schema}"."${table}"`,
        );
      // Named by its text: the same statement has one name, whichever store or pool prepares it.
      s = { name: `relais_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`, text };
      this.translated.set(sql, s);
    }
    return { ...s, values: values.map(pgValue) };
  }

  async insert(table: string, row: Readonly<Record<string, unknown>>): Promise<number | undefined> {
    const client = this.connections.client();
    if (!client) return undefined;
    const columns = Object.keys(row);
    const query = this.statement(
      insertSql(table, columns, ' RETURNING "id"'),
      columns.map((c) => row[c]),
    );
    const { rows } = await client.query<{ id: number }>(query);
    return Number(rows[0]!.id);
  }

  async run(sql: string, values: readonly unknown[]): Promise<number | undefined> {
    const client = this.connections.client();
    if (!client) return undefined;
    return (await client.query(this.statement(sql, values))).rowCount ?? 0;
  }
}

/**
 * A value as Prisma's pg adapter binds it: dates as UTC text without an offset (the columns are
 * `timestamp(3)`, without a time zone; pg's own would write the process's local time).
 */
function pgValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString().replace("T", " ").replace("Z", "");
  return v;
}
