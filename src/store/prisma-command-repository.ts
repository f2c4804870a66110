import { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { CommandRepository, CommandToRun, RecordedCommand } from "../kit/recorded-commands.ts";
import { urgently } from "./ambient-transaction.ts";
import { type OnceKey, takenKey } from "../kit/once.ts";
import type { PrismaIdempotencyRepository } from "./prisma-chat-repositories.ts";
import type { HotPath, HotWrites } from "./sqlite-hot-path.ts";
import { claimLeased, leaseEnded } from "./writes.ts";

/** What a recorded command's payload column holds (everything but the columns of its own). */
type Payload = Omit<CommandToRun, "platform" | "receivedAt">;

/** `finish`'s write: done if still pending. */
const FINISH_SQL = `UPDATE "RecordedCommand" SET "status" = 'done', "leaseUntil" = NULL WHERE "id" = ? AND "status" = 'pending'`;

export class PrismaCommandRepository implements CommandRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly requests: PrismaIdempotencyRepository,
    private readonly hot?: HotPath,
  ) {}

  /**
   * On the ack's path: ahead of the units of work waiting for SQLite (see `urgently`), and one
   * prepared insert in its own transaction where the store has a hot path (Prisma's per-query cost
   * was most of an ack's own time, issue 16); through Prisma otherwise.
   */
  async record(c: CommandToRun, worker: string, leaseUntil: DateTime): Promise<number> {
    const data = row(c, worker, leaseUntil);
    return urgently(async () => {
      const fast = this.hot?.transaction?.((w) => w.insert("RecordedCommand", data));
      return fast ? await fast : (await this.prisma.recordedCommand.create({ data })).id;
    });
  }

  /**
   * On the ack's path too: the request's keys claimed, then the command recorded, in one transaction
   * ahead of the queued units — SQLite's hot path's own, without Prisma; a unit of work elsewhere.
   */
  recordFirst(keys: readonly OnceKey[], c: CommandToRun, worker: string, leaseUntil: DateTime) {
    const at = c.receivedAt;
    return urgently(async (): Promise<number | OnceKey> => {
      const data = row(c, worker, leaseUntil);
      const claimed = (w: HotWrites) => keys.find((k) => !this.requests.claimOn(w, k.key, at, k.within));
      const fast = this.hot?.transaction?.((w) => claimed(w) ?? w.insert("RecordedCommand", data));
      if (fast) return fast;
      return this.prisma.$transaction(
        async () => (await takenKey(this.requests, at, keys)) ?? (await this.record(c, worker, leaseUntil)),
      );
    });
  }

  async finish(id: number): Promise<boolean> {
    // In the unit that ran it, on SQLite: a prepared statement (Prisma's updateMany, compiled for
    // every command, was one of seven queries of a ticket's creation through Prisma, issue 16).
    const fast = await this.hot?.run(FINISH_SQL, [id]);
    if (fast !== undefined) return fast === 1;
    const { count } = await this.prisma.recordedCommand.updateMany({
      where: { id, status: "pending" },
      data: { status: "done", leaseUntil: null },
    });
    return count === 1;
  }

  async claimAbandoned(
    platform: string,
    now: DateTime,
    worker: string,
    leaseMs: number,
    limit: number,
  ): Promise<RecordedCommand[]> {
    const at = now.toJSDate();
    const pending = { status: "pending", platform };
    const rows = await this.prisma.recordedCommand.findMany({
      where: { ...pending, ...leaseEnded(at) },
      orderBy: { id: "asc" },
      take: limit,
    });
    const claimed: RecordedCommand[] = [];
    for (const row of rows) {
      if (!(await claimLeased(this.prisma.recordedCommand, row.id, pending, worker, at, leaseMs))) continue;
      claimed.push({
        id: row.id,
        platform: row.platform,
        receivedAt: DateTime.fromJSDate(row.receivedAt),
        ...(JSON.parse(row.payload) as Payload),
      });
    }
    return claimed;
  }

  async purgeDone(before: DateTime): Promise<number> {
    const { count } = await this.prisma.recordedCommand.deleteMany({
      where: { status: "done", receivedAt: { lt: before.toJSDate() } },
    });
    return count;
  }
}

/** A command's row, as Prisma's create takes it. */
function row(c: CommandToRun, worker: string, leaseUntil: DateTime) {
  const { platform, receivedAt, ...payload } = c;
  return {
    platform,
    payload: JSON.stringify(payload satisfies Payload),
    status: "pending",
    claimedBy: worker,
    leaseUntil: leaseUntil.toJSDate(),
    attempts: 1,
    receivedAt: receivedAt.toJSDate(),
  };
}
