import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { currentUnit } from "./ambient-transaction.ts";
import type { OwnTransaction } from "./defended-client.ts";

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
