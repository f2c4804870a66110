import type { Logger } from "pino";

/**
 * PostgreSQL errors that say "try again", not "this is wrong": the server shut the connection
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now: a restart or a failover),
 * the connection broke (class 08), a serializable transaction lost a race (40001) or a deadlock
 * was broken (40P01). SQLite raises none of them.
 */
const TRANSIENT_SQLSTATES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "40001",
  "40P01",
]);
const TRANSIENT_SOCKET_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);
/** How the pg adapter names a broken socket or a lost write race once Prisma has wrapped it. */
const TRANSIENT_ADAPTER_KINDS = new Set([
  "ConnectionClosed",
  "SocketTimeout",
  "DatabaseNotReachable",
  "TransactionWriteConflict",
]);
/** Raised by pg itself (no code) on a client whose connection broke, or that the server closed. */
const TRANSIENT_MESSAGES = [/connection error and is not queryable/i, /Connection terminated/i];

/**
 * True when `e` is worth retrying. `wholeTransaction`: the retry re-runs a whole interactive
 * transaction, so Prisma's P2028 (it could not start in time, or ended: rolled back either way)
 * and P2034 (a write conflict, or a unique key taken meanwhile by a concurrent unit) are safe to
 * retry too.
 */
export function isTransient(e: unknown, wholeTransaction = false): boolean {
  if (typeof e !== "object" || e === null) return false;
  const err = e as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: { cause?: AdapterCause } };
  };
  if (wholeTransaction && (err.code === "P2028" || err.code === "P2034")) return true;
  if (typeof err.code === "string" && (TRANSIENT_SQLSTATES.has(err.code) || TRANSIENT_SOCKET_CODES.has(err.code)))
    return true;
  // Wrapped by Prisma (meta), or as the adapter threw it (a transaction's BEGIN or COMMIT).
  const cause =
    err.meta?.driverAdapterError?.cause ??
    (err.name === "DriverAdapterError" ? (err.cause as AdapterCause) : undefined);
  if (cause && (TRANSIENT_ADAPTER_KINDS.has(cause.kind ?? "") || TRANSIENT_SQLSTATES.has(cause.originalCode ?? "")))
    return true;
  return typeof err.message === "string" && TRANSIENT_MESSAGES.some((m) => m.test(err.message as string));
}

interface AdapterCause {
  kind?: string;
  originalCode?: string;
}

/** Retries with backoff 100 ms, 200 ms, … capped at 2 s: about 5 s in all, the time of a restart. */
const DELAYS_MS = [100, 200, 400, 800, 1600, 2000];

/**
 * Runs `work`, and again after a short pause while it fails with a transient error (see
 * isTransient); the last error is thrown when the database is still not back.
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  opts: { wholeTransaction?: boolean; log?: Logger | undefined; delaysMs?: readonly number[] } = {},
): Promise<T> {
  const delays = opts.delaysMs ?? DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (attempt >= delays.length || !isTransient(e, opts.wholeTransaction)) throw e;
      opts.log?.warn(
        { err: e, attempt: attempt + 1, transaction: opts.wholeTransaction === true },
        "transient database error, retrying",
      );
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }
}
