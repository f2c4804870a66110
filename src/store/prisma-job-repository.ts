import { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ClaimedJob, JobRepository, JobSpec } from "../scheduler/job-repository.ts";
import { claimLeased, leaseEnded } from "./writes.ts";
import type { HotPath } from "./sqlite-hot-path.ts";

/** Prisma's upsert of a job by key, as one statement (the hot path). */
const SCHEDULE_SQL = `INSERT INTO "Job" ("key", "kind", "dueAt", "payload", "status", "claimedBy", "leaseUntil", "attempts", "firedAt", "createdAt") VALUES (?, ?, ?, ?, 'pending', NULL, NULL, 0, NULL, ?) ON CONFLICT ("key") DO UPDATE SET "kind" = excluded."kind", "dueAt" = excluded."dueAt", "payload" = excluded."payload", "status" = 'pending', "claimedBy" = NULL, "leaseUntil" = NULL, "attempts" = 0, "firedAt" = NULL`;
const CANCEL_SQL = `DELETE FROM "Job" WHERE "key" = ? AND "status" = 'pending'`;

export class PrismaJobRepository implements JobRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  async schedule(job: JobSpec, now: DateTime): Promise<void> {
    const data = {
      kind: job.kind,
      dueAt: job.dueAt.toJSDate(),
      payload: JSON.stringify(job.payload),
      status: "pending",
      claimedBy: null,
      leaseUntil: null,
      attempts: 0,
      firedAt: null,
    };
    // Inside a unit: one statement in its transaction, without Prisma's per-query cost.
    const values = [job.key, data.kind, data.dueAt, data.payload, now.toJSDate()];
    if ((await this.hot?.run(SCHEDULE_SQL, values)) !== undefined) return;
    await this.prisma.job.upsert({
      where: { key: job.key },
      create: { key: job.key, ...data, createdAt: now.toJSDate() },
      update: data,
    });
  }

  async cancel(key: string): Promise<void> {
    if ((await this.hot?.run(CANCEL_SQL, [key])) !== undefined) return;
    await this.prisma.job.deleteMany({ where: { key, status: "pending" } });
  }

  async claimDue(now: DateTime, worker: string, leaseMs: number, limit: number): Promise<ClaimedJob[]> {
    const at = now.toJSDate();
    const due = { status: "pending", dueAt: { lte: at } };
    // Served by the (status, dueAt) index: the cost follows the due jobs, not the table.
    const candidates = await this.prisma.job.findMany({
      where: { ...due, ...leaseEnded(at) },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: limit,
    });
    const claimed: ClaimedJob[] = [];
    for (const c of candidates) {
      if (await claimLeased(this.prisma.job, c.id, due, worker, at, leaseMs)) {
        claimed.push({
          id: c.id,
          key: c.key,
          kind: c.kind,
          dueAt: DateTime.fromJSDate(c.dueAt, { zone: "utc" }),
          payload: JSON.parse(c.payload) as Record<string, unknown>,
          attempts: c.attempts + 1,
        });
      }
    }
    return claimed;
  }

  async renew(id: number, worker: string, until: DateTime): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, claimedBy: worker, status: "pending" },
      data: { leaseUntil: until.toJSDate() },
    });
    return count === 1;
  }

  async complete(id: number, worker: string, now: DateTime): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, claimedBy: worker, status: "pending" },
      data: { status: "done", firedAt: now.toJSDate(), leaseUntil: null },
    });
    return count === 1;
  }

  async release(id: number, worker: string, retryAt: DateTime, failed: boolean): Promise<void> {
    await this.prisma.job.updateMany({
      where: { id, claimedBy: worker, status: "pending" },
      data: failed
        ? { status: "failed", leaseUntil: null }
        : { dueAt: retryAt.toJSDate(), leaseUntil: null, claimedBy: null },
    });
  }

  async pending(key: string): Promise<{ dueAt: DateTime; kind: string } | undefined> {
    const row = await this.prisma.job.findFirst({ where: { key, status: "pending" } });
    return row ? { dueAt: DateTime.fromJSDate(row.dueAt, { zone: "utc" }), kind: row.kind } : undefined;
  }

  async pendingAmong(keys: readonly string[]): Promise<Map<string, JobSpec>> {
    const rows = await this.prisma.job.findMany({ where: { key: { in: [...keys] }, status: "pending" } });
    return new Map(
      rows.map((r) => [
        r.key,
        {
          key: r.key,
          kind: r.kind,
          dueAt: DateTime.fromJSDate(r.dueAt, { zone: "utc" }),
          payload: JSON.parse(r.payload) as Record<string, unknown>,
        },
      ]),
    );
  }

  countPending(): Promise<number> {
    return this.prisma.job.count({ where: { status: "pending" } });
  }

  countOverdue(dueBefore: DateTime): Promise<number> {
    // Served by the (status, dueAt) index.
    return this.prisma.job.count({ where: { status: "pending", dueAt: { lt: dueBefore.toJSDate() } } });
  }
}
