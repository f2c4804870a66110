import { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { CommandRepository, CommandToRun, RecordedCommand } from "../kit/recorded-commands.ts";
import { urgently } from "./ambient-transaction.ts";
import type { HotPath } from "./sqlite-hot-path.ts";
import { claimLeased, leaseEnded } from "./writes.ts";

/** What a recorded command's payload column holds (everything but the columns of its own). */
type Payload = Omit<CommandToRun, "platform" | "receivedAt">;

export class PrismaCommandRepository implements CommandRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  /**
   * On the ack's path: ahead of the units of work waiting for SQLite (see `urgently`), and one
   * prepared insert in its own transaction where the store has a hot path (Prisma's per-query cost
   * was most of an ack's own time, issue 16); through Prisma otherwise.
   */
  async record(c: CommandToRun, worker: string, leaseUntil: DateTime): Promise<number> {
    const { platform, receivedAt, ...payload } = c;
    const data = {
      platform,
      payload: JSON.stringify(payload satisfies Payload),
      status: "pending",
      claimedBy: worker,
      leaseUntil: leaseUntil.toJSDate(),
      attempts: 1,
      receivedAt: receivedAt.toJSDate(),
    };
    const hot = this.hot;
    return urgently(async () =>
      hot
        ? this.prisma.$transaction(
            async () =>
              (await hot.insert("RecordedCommand", data)) ?? (await this.prisma.recordedCommand.create({ data })).id,
          )
        : (await this.prisma.recordedCommand.create({ data })).id,
    );
  }

  async finish(id: number): Promise<boolean> {
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
