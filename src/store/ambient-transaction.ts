import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "../generated/prisma/client.ts";

/** The transaction a unit of work runs in, and what waits for its commit. */
export interface Ambient {
  tx: Prisma.TransactionClient;
  afterCommit: (() => Promise<unknown>)[];
}

const ambient = new AsyncLocalStorage<Ambient>();

/** The unit of work this code runs in, if any. */
export function currentUnit(): Ambient | undefined {
  return ambient.getStore();
}

/** Runs `work` inside the transaction `unit`: every repository call it makes joins it. */
export function withinUnit<T>(unit: Ambient, work: () => Promise<T>): Promise<T> {
  return ambient.run(unit, work);
}

/** Runs `work` outside any unit (after a commit: the transaction is over). */
export function outsideUnit<T>(work: () => T): T {
  return ambient.exit(work);
}

/**
 * SQLite through Prisma is one connection: a statement run while another caller's transaction is
 * open would run inside it (and be rolled back with it, or see what it has not committed). So on
 * SQLite every statement outside a transaction, and every transaction, takes turns here. Work
 * inside a unit never waits for it (it already holds it), which is why a unit must not wait on
 * anything but the database.
 */
export class Turns {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const mine = this.tail.then(work, work);
    this.tail = mine.catch(() => undefined);
    return mine;
  }
}

/** A row's unique key taken by a concurrent unit: the whole unit runs again and finds the row. */
export class UniqueRaceError extends Error {
  override name = "UniqueRaceError";
  readonly code = "P2034"; // Prisma's "write conflict or deadlock, retry the transaction"
}
