import { createHash } from "node:crypto";
import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { currentUnit } from "./ambient-transaction.ts";
import type { OwnTransaction } from "./defended-client.ts";
import { type HotPath, insertSql } from "./sqlite-hot-path.ts";

/**
 * PostgreSQL's units of work (issue 16): each begun on a pool client of its own (BEGIN, COMMIT),
 * not through Prisma's interactive transaction, whose machinery (a transaction manager, its timers,
 * a client per transaction) cost more Node CPU than a ticket's statements. Every query made inside
 * the unit — the hot path's straight on the client, Prisma's through the adapter, which sends the
 * queries of a unit to its client — is part of that transaction, as on SQLite (sqlite-store.ts).
 */

/** Which store a unit belongs to, and the pool client its transaction runs on. */
interface UnitConnection {
  store: object;
  client: pg.PoolClient;
}

/** Begins the units of one store on its pool, and sends the queries made inside them to their client. */
export class UnitConnections {
  /** This store, as its units name it. */
  private readonly store = {};

  constructor(private readonly pool: pg.Pool) {}

  /**
   * The adapter factory, whose queries inside one of this store's units go to the unit's client. A
   * Prisma operation that opens a transaction of its own (a nested write) is refused inside a unit,
   * as SQLite refuses it: the repositories write rows one by one.
   */
  adapter(factory: PrismaPg): PrismaPg {
    return Object.assign(Object.create(factory) as PrismaPg, {
      connect: async () => {
        const opened = await factory.connect();
        // PgQueryable's methods read the pool from `this.client`: called on a view of the adapter
        // whose client is the unit's, they query it instead (@prisma/adapter-pg).
        const { queryRaw, executeRaw, startTransaction } = Object.getPrototypeOf(opened) as typeof opened;
        const views = new WeakMap<pg.PoolClient, typeof opened>();
        const on = () => {
          const client = this.client();
          if (!client) return opened;
          let view = views.get(client);
          if (!view) {
            view = Object.create(opened, { client: { value: client } }) as typeof opened;
            views.set(client, view);
          }
          return view;
        };
        opened.queryRaw = (query) => queryRaw.call(on(), query);
        opened.executeRaw = (query) => executeRaw.call(on(), query);
        opened.startTransaction = (isolationLevel) => {
          if (this.client()) throw new Error("a Prisma transaction cannot open inside a unit of work");
          return startTransaction.call(opened, isolationLevel);
        };
        return opened;
      },
    });
  }

  /** A unit's transaction, begun on a client of its own (defendedClient's ownTransaction). */
  async begin(): Promise<OwnTransaction> {
    const client = await this.pool.connect();
    let released = false;
    // A client whose COMMIT or ROLLBACK failed is destroyed, not put back (its connection may be broken).
    const release = (e?: Error) => {
      if (released) return;
      released = true;
      client.release(e);
    };
    try {
      await client.query("BEGIN");
    } catch (e) {
      release(e as Error);
      throw e;
    }
    const connection: UnitConnection = { store: this.store, client };
    return {
      connection,
      async commit() {
        try {
          await client.query("COMMIT");
          release();
        } catch (e) {
          release(e as Error);
          throw e;
        }
      },
      async rollback() {
        if (released) return;
        await client.query("ROLLBACK").then(
          () => release(),
          (e: unknown) => release(e as Error),
        );
      },
    };
  }

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
