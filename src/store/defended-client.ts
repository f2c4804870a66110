import type { Logger } from "pino";
import { RelaisError } from "../errors.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { UnitOfWork } from "../unit-of-work.ts";
import { type Ambient, currentUnit, lostInUnit, outsideUnit, Turns, withinUnit } from "./ambient-transaction.ts";
import { isTransient, retryTransient } from "./transient.ts";

/**
 * A transaction begun on the driver's connection (SQLite: its one connection, synchronously;
 * PostgreSQL: a pool client of the unit's own), ended by the unit of work.
 */
export interface OwnTransaction {
  connection: unknown;
  commit(): void | Promise<void>;
  /** Rolls back what is still open (nothing after a failed COMMIT that already ended it). */
  rollback(): void | Promise<void>;
}

/** The store's client, and the units of work over it. */
export interface Defended {
  /** The client the repositories use: inside a unit, every call joins the unit's transaction. */
  prisma: PrismaClient;
  unit: UnitOfWork;
  /** Runs `work` in the store's turn (SQLite: one connection), urgent in the urgent lane; as it is elsewhere. */
  turn<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The one place every query of the store goes through (a Prisma client extension), so no
 * repository method carries its own try/catch:
 * - `lost()` is asked before each query (once per unit of work): a database that is gone (the
 *   SQLite file deleted or replaced) refuses it with `database_unavailable`, before anything is
 *   written anywhere;
 * - a query outside a transaction is retried while PostgreSQL says "try again" (restart, broken
 *   connection, write conflict: src/store/transient.ts), and a unit of work (an interactive
 *   transaction) is retried as a whole — its callback runs again: it must only read and write the
 *   database;
 * - still failing after the retries, the person is told the database is unavailable, not
 *   "unexpected error", and the log keeps the original error;
 * - `serialized` (SQLite, one connection): statements and transactions take turns (see Turns).
 */
export function defendedClient(
  base: PrismaClient,
  opts: {
    lost?: () => string | undefined;
    log?: Logger | undefined;
    serialized?: boolean;
    /**
     * A unit's transaction begun on the driver's connection itself (undefined: SQLite not connected
     * yet), instead of Prisma's interactive transaction, whose machinery (a transaction manager,
     * its timers, a client per transaction) cost more than the statements of a ticket's creation
     * (issue 16). Every query the unit makes, Prisma's included, runs on that connection: inside it
     * (SQLite: its one connection, in turn; PostgreSQL: the adapter sends them to the unit's client).
     */
    ownTransaction?: () => OwnTransaction | Promise<OwnTransaction> | undefined;
  } = {},
): Defended {
  const { log } = opts;
  const turns = opts.serialized ? new Turns() : undefined;
  const inTurn = <T>(work: () => Promise<T>) => (turns ? turns.run(work) : work());
  const givenUp = (e: unknown): unknown => {
    if (!isTransient(e, true)) return e;
    log?.error({ err: e }, "the database stayed unreachable after retries; the command is refused");
    return new RelaisError("database_unavailable");
  };
  const guarded = base.$extends({
    query: {
      async $allOperations({ args, query }) {
        if (lostInUnit(opts.lost)) throw new RelaisError("database_unavailable");
        if (currentUnit()) return query(args);
        return inTurn(() => retryTransient(() => query(args), { log })).catch((e: unknown) => {
          throw givenUp(e);
        });
      },
    },
  }) as unknown as PrismaClient;

  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    const joined = currentUnit();
    if (joined) return work();
    let unit: Ambient | undefined;
    const own = async (t: OwnTransaction): Promise<T> => {
      // Queries of the unit go to the client outside any Prisma transaction: to this connection.
      unit = { tx: guarded as unknown as Prisma.TransactionClient, afterCommit: [], connection: t.connection };
      try {
        const value = await withinUnit(unit, work);
        await t.commit();
        return value;
      } catch (e) {
        await t.rollback();
        throw e;
      }
    };
    const result = await retryTransient(
      () =>
        inTurn(() => {
          const begun = opts.ownTransaction?.();
          if (begun) return begun instanceof Promise ? begun.then(own) : own(begun);
          return guarded.$transaction((tx) => {
            // A retry starts afresh: what the failed attempt asked for after its commit is dropped.
            unit = { tx, afterCommit: [], connection: undefined };
            return withinUnit(unit, work);
          });
        }),
      { wholeTransaction: true, log },
    ).catch((e: unknown) => {
      throw givenUp(e);
    });
    for (const action of unit?.afterCommit ?? []) start(action);
    return result;
  };

  // After-commit actions in flight, so a shutdown (or a test) can wait for them.
  const inFlight = new Set<Promise<unknown>>();
  const start = (action: () => Promise<unknown>) => {
    const p = outsideUnit(action)
      .catch((e: unknown) => log?.error({ err: e }, "work after a commit failed"))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const unit: UnitOfWork = {
    run,
    afterCommit: (action) => {
      const open = currentUnit();
      if (open) open.afterCommit.push(action);
      else start(action);
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };

  // Inside a unit, the repositories' calls (`prisma.ticket…`, `prisma.$transaction`) go to its
  // transaction: a repository's own transaction (a record and its event) joins the unit.
  const prisma = new Proxy(guarded, {
    get(target, prop, receiver) {
      if (prop === "$transaction") return (work: (tx: unknown) => Promise<unknown>) => run(() => work(prismaOf()));
      const open = currentUnit();
      if (open && typeof prop === "string" && prop in open.tx) return (open.tx as Record<string, unknown>)[prop];
      return Reflect.get(target, prop, receiver);
    },
  });
  const prismaOf = () => currentUnit()?.tx ?? prisma;
  return { prisma, unit, turn: inTurn };
}
