import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { currentUnit } from "./ambient-transaction.ts";
import { type HotPath, insertSql } from "./sqlite-hot-path.ts";

/**
 * The hot path on PostgreSQL (issue 16): the creation's statements sent straight on the pool client
 * that the unit's interactive transaction runs on — part of that transaction, committed or rolled
 * back with it — without Prisma's per-query machinery (a third of a ticket's CPU on PostgreSQL).
 * Prisma's adapter does not say which client a transaction took, so `UnitConnections` learns it as
 * the adapter begins the transaction, inside the unit's start.
 */

/** Which store a unit belongs to, and the pool client its transaction runs on (once begun). */
interface UnitConnection {
  store: object;
  client?: pg.PoolClient;
}

const beginning = new AsyncLocalStorage<UnitConnection>();

/** Learns, for one store, the pool client each unit's transaction runs on. */
export class UnitConnections {
  /** This store, as its units name it. */
  private readonly store = {};

  /** The adapter factory, its transactions reporting their client to the unit beginning them. */
  adapter(factory: PrismaPg): PrismaPg {
    const store = this.store;
    return Object.assign(Object.create(factory) as PrismaPg, {
      connect: async () => {
        const opened = await factory.connect();
        const start = opened.startTransaction.bind(opened);
        opened.startTransaction = async (isolationLevel) => {
          const tx = await start(isolationLevel);
          const unit = beginning.getStore();
          // PgTransaction keeps its pool client as `client` (@prisma/adapter-pg); none, no hot path.
          if (unit?.store === store) unit.client = (tx as unknown as { client?: pg.PoolClient }).client;
          return tx;
        };
        return opened;
      },
    });
  }

  /** Wraps a unit's start (defendedClient's aroundTransaction), so its adapter can say which client it took. */
  around = <T>(begin: () => Promise<T>): Promise<T> => beginning.run({ store: this.store }, begin);

  /** The unit's connection, as it begins (defendedClient's connection). */
  current = (): UnitConnection | undefined => beginning.getStore();

  /** The pool client of the current unit, when it is one of this store's; undefined otherwise. */
  client(): pg.PoolClient | undefined {
    const c = currentUnit()?.connection as UnitConnection | undefined;
    return c?.store === this.store ? c.client : undefined;
  }
}

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
