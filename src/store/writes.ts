import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { type RecordKind, StaleWriteError } from "../retry.ts";
import { currentUnit, UniqueRaceError } from "./ambient-transaction.ts";

/** Prisma's code for a unique constraint that refused a row. */
const UNIQUE_VIOLATION = "P2002";

/** A positive safe integer: anything else (a typo, an overflow) names no row and is not looked up. */
export function isRowId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/**
 * Creates a row once: false, and nothing written, when its unique key is already taken. Inside a
 * unit of work the key is looked up first (`exists`): on PostgreSQL a refused insert would abort
 * the whole transaction; a concurrent unit taking the key meanwhile makes this one run again.
 */
export async function createOnce(create: () => Promise<unknown>, exists: () => Promise<boolean>): Promise<boolean> {
  const unit = currentUnit();
  if (unit && (await exists())) return false;
  try {
    await create();
    return true;
  } catch (e) {
    if (typeof e !== "object" || e === null || (e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
    if (unit) throw new UniqueRaceError("a unique key was taken by a concurrent unit of work");
    return false;
  }
}

/** The model of a record written with optimistic concurrency (a `version` column). */
interface VersionedModel<Row> {
  updateMany(args: {
    where: { id: number; version?: number };
    data: { version: { increment: number } };
  }): PromiseLike<{ count: number }>;
  findUniqueOrThrow(args: { where: { id: number } }): PromiseLike<Row>;
}

/**
 * Writes `data` to the record and bumps its version, only if it is still at `expectedVersion`
 * (any version when not given); returns the record as written. StaleWriteError when it changed.
 */
export async function updateVersioned<Row>(
  model: VersionedModel<Row>,
  kind: RecordKind,
  id: number,
  data: Record<string, unknown>,
  expectedVersion?: number,
): Promise<Row> {
  const where = expectedVersion === undefined ? { id } : { id, version: expectedVersion };
  const { count } = await model.updateMany({ where, data: { ...data, version: { increment: 1 } } });
  if (count === 0) throw new StaleWriteError(kind, id);
  return model.findUniqueOrThrow({ where: { id } });
}

/**
 * A write and the timeline event it makes, in one transaction: both or neither. `write` returns the
 * row written; `append` adds the event for that row's id.
 */
export function withEvent<Row extends { id: number }>(
  prisma: PrismaClient,
  write: (tx: Prisma.TransactionClient) => Promise<Row>,
  append: (tx: Prisma.TransactionClient, id: number) => Promise<unknown>,
): Promise<Row> {
  return prisma.$transaction(async (tx) => {
    const row = await write(tx);
    await append(tx, row.id);
    return row;
  });
}

/** Rows nobody holds: never leased, or their lease has ended (the replica that held them died). */
export function leaseEnded(at: Date) {
  return { OR: [{ leaseUntil: null }, { leaseUntil: { lt: at } }] };
}

/** The model of rows claimed by one worker at a time, for a lease (jobs, outbox posts). */
interface LeasedModel {
  updateMany(args: {
    where: { id: number; OR: { leaseUntil: null | { lt: Date } }[] };
    data: { claimedBy: string; leaseUntil: Date; attempts: { increment: number } };
  }): PromiseLike<{ count: number }>;
}

/**
 * Claims row `id` for `worker` until `at` + `leaseMs`, if it still matches `where` and nobody holds
 * it; counts the attempt. The conditional update is the claim: of two replicas, only one gets true.
 */
export async function claimLeased(
  model: LeasedModel,
  id: number,
  where: Record<string, unknown>,
  worker: string,
  at: Date,
  leaseMs: number,
): Promise<boolean> {
  const { count } = await model.updateMany({
    where: { id, ...where, ...leaseEnded(at) },
    data: { claimedBy: worker, leaseUntil: new Date(at.getTime() + leaseMs), attempts: { increment: 1 } },
  });
  return count === 1;
}
