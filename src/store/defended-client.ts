import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";
import { RelaisError } from "../errors.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { isTransient, retryTransient } from "./transient.ts";

/** Set while an interactive transaction runs: its statements are retried with it, never one by one. */
const inTransaction = new AsyncLocalStorage<true>();

/**
 * The one place every query of the store goes through (a Prisma client extension), so no
 * repository method carries its own try/catch:
 * - `lost()` is asked before each query: a database that is gone (the SQLite file deleted or
 *   replaced) refuses it with `database_unavailable`, before anything is written anywhere;
 * - a query outside a transaction is retried while PostgreSQL says "try again" (restart, broken
 *   connection, write conflict: src/store/transient.ts), and an interactive transaction is retried
 *   as a whole (its callback runs again: it must only read and write the database);
 * - still failing after the retries, the person is told the database is unavailable, not
 *   "unexpected error", and the log keeps the original error.
 */
export function defendedClient(
  base: PrismaClient,
  opts: { lost?: () => string | undefined; log?: Logger | undefined } = {},
): PrismaClient {
  const { log } = opts;
  const givenUp = (e: unknown): unknown => {
    if (!isTransient(e, true)) return e;
    log?.error({ err: e }, "the database stayed unreachable after retries; the command is refused");
    return new RelaisError("database_unavailable");
  };
  const guarded = base.$extends({
    query: {
      async $allOperations({ args, query }) {
        if (opts.lost?.()) throw new RelaisError("database_unavailable");
        if (inTransaction.getStore()) return query(args);
        return retryTransient(() => query(args), { log }).catch((e: unknown) => {
          throw givenUp(e);
        });
      },
    },
  });
  return guarded.$extends({
    client: {
      $transaction(arg: unknown, options?: unknown): Promise<unknown> {
        const transaction = guarded.$transaction as (a: unknown, o?: unknown) => Promise<unknown>;
        // A batch of already-built queries cannot be built again: it runs once.
        if (typeof arg !== "function") return transaction.call(guarded, arg, options);
        return retryTransient(() => inTransaction.run(true, () => transaction.call(guarded, arg, options)), {
          wholeTransaction: true,
          log,
        }).catch((e: unknown) => {
          throw givenUp(e);
        });
      },
    },
  }) as unknown as PrismaClient;
}
