import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "../generated/prisma/client.ts";

/** The transaction a unit of work runs in, and what waits for its commit. */
export interface Ambient {
  tx: Prisma.TransactionClient;
  afterCommit: (() => Promise<unknown>)[];
  /** The driver's connection the transaction runs on, where the store uses one (SQLite's hot path). */
  connection?: unknown;
  /**
   * The SQLite file's identity was checked in this unit (src/store/sqlite-file.ts): once per
   * transaction is enough — its statements all go to the file open when it began — and a stat per
   * statement was a tenth of a ticket's creation (issue 16).
   */
  fileChecked?: boolean;
}

/** Whether the store's database is lost (`lost`), asked once per unit and before each query outside one. */
export function lostInUnit(lost: (() => string | undefined) | undefined): string | undefined {
  const unit = currentUnit();
  if (unit?.fileChecked) return undefined;
  const problem = lost?.();
  if (unit && !problem) unit.fileChecked = true;
  return problem;
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

const urgentLane = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its statements ahead of the queue on SQLite: what a person's acknowledgement
 * waits for (the command recorded before its ack) must not wait behind every unit of work queued
 * by the requests acked before it. Elsewhere (PostgreSQL, a pool) it changes nothing.
 */
export function urgently<T>(work: () => PromiseLike<T>): Promise<T> {
  // Awaited inside the lane: a Prisma query starts only when awaited, not when called.
  return urgentLane.run(true, async () => await work());
}

/** Whether the code runs in the urgent lane (`urgently`). */
export function inUrgentLane(): boolean {
  return urgentLane.getStore() === true;
}

/**
 * SQLite through Prisma is one connection: a statement run while another caller's transaction is
 * open would run inside it (and be rolled back with it, or see what it has not committed). So on
 * SQLite every statement outside a transaction, and every transaction, takes turns here. Work
 * inside a unit never waits for it (it already holds it), which is why a unit must not wait on
 * anything but the database. Urgent work (`urgently`) waits only for the turn being taken and for
 * urgent work before it: it goes ahead of the others waiting, in arrival order otherwise.
 */
export class Turns {
  private busy = false;
  private readonly waiting: { urgent: boolean; start: () => void }[] = [];

  run<T>(work: () => Promise<T>): Promise<T> {
    const urgent = urgentLane.getStore() === true;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        Promise.resolve()
          .then(work)
          .then(resolve, reject)
          .finally(() => this.next());
      };
      if (!this.busy) {
        this.busy = true;
        start();
        return;
      }
      const firstNotUrgent = urgent ? this.waiting.findIndex((w) => !w.urgent) : -1;
      if (firstNotUrgent >= 0) this.waiting.splice(firstNotUrgent, 0, { urgent, start });
      else this.waiting.push({ urgent, start });
    });
  }

  private next(): void {
    const w = this.waiting.shift();
    if (w) w.start();
    else this.busy = false;
  }
}

/** A row's unique key taken by a concurrent unit: the whole unit runs again and finds the row. */
export class UniqueRaceError extends Error {
  override name = "UniqueRaceError";
  readonly code = "P2034"; // Prisma's "write conflict or deadlock, retry the transaction"
}
