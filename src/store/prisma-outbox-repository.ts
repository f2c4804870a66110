import { DateTime } from "luxon";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Reply } from "../reply.ts";
import type { OutboxEntry } from "../outbox/outbox.ts";
import type { ClaimedMessage, OutboxRepository, PostState, UndeliveredRow } from "../outbox/outbox-repository.ts";
import { type HotPath, insertSql, withSqliteDates } from "./sqlite-hot-path.ts";
import { claimLeased, createOnce } from "./writes.ts";

/**
 * A post's claim and its "sent" mark as prepared statements on SQLite (the hot path's own
 * transaction, in the store's turn): with Prisma, each was compiled and its statement prepared
 * again for every post, a good part of the work behind a burst's acks (issue 16). The same writes
 * as `claimLeased` and `markSent`'s Prisma query below, which PostgreSQL uses; dates compare as the
 * ISO text both write.
 */
const CLAIM_SQL = `UPDATE "OutboxMessage" SET "claimedBy" = ?, "leaseUntil" = ?, "attempts" = "attempts" + 1 WHERE "id" = ? AND "status" = 'pending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ?)`;
const SENT_SQL = `UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ?, "messageId" = ?, "leaseUntil" = NULL WHERE "id" = ? AND "claimedBy" = ?`;
/**
 * The heads (see claimHeads) in one prepared read on SQLite: Prisma's groupBy and findMany, two
 * queries compiled and prepared again at every pass (one post per channel), were most of what the
 * dispatcher cost behind a burst's acks. The same rows; PostgreSQL keeps Prisma's two queries.
 * The channels are found by hopping through the index (status, platform, channel, id) from one
 * channel's first pending post to the next channel's, a few index seeks per channel: a GROUP BY
 * read every pending post, hundreds of them in one channel behind a burst, at every pass (195 µs
 * a pass, twice per ticket in the Slack bench; issue 16). Sorted by id in JS: SQLite's sorter for
 * an ORDER BY here cost 60–95 µs a call, twenty times the read.
 */
const HEADS_SQL = `WITH RECURSIVE g("id", "platform", "channel") AS (
  SELECT * FROM (SELECT "id", "platform", "channel" FROM "OutboxMessage" WHERE "status" = 'pending' ORDER BY "platform", "channel", "id" LIMIT 1)
  UNION ALL
  SELECT n."id", n."platform", n."channel" FROM g JOIN "OutboxMessage" n ON n."id" = COALESCE(
    (SELECT o."id" FROM "OutboxMessage" o WHERE o."status" = 'pending' AND o."platform" = g."platform" AND o."channel" > g."channel" ORDER BY o."channel", o."id" LIMIT 1),
    (SELECT o."id" FROM "OutboxMessage" o WHERE o."status" = 'pending' AND o."platform" > g."platform" ORDER BY o."platform", o."channel", o."id" LIMIT 1))
) SELECT m."id", m."key", m."platform", m."channel", m."payload", m."threadKey", m."editsKey", m."threadName", m."attempts", m."lastError", m."createdAt", m."nextAttemptAt", m."leaseUntil" FROM g JOIN "OutboxMessage" m ON m."id" = g."id"`;

/** A post's state by its key (the post an edit or a thread reply waits for; a ticket's card). */
export const POST_STATE_SQL = `SELECT "status", "messageId" FROM "OutboxMessage" WHERE "key" = ?`;

/** A head as both reads give it. */
interface Head {
  id: number;
  key: string;
  platform: string;
  channel: string;
  payload: string;
  threadKey: string | null;
  editsKey: string | null;
  threadName: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
}

/** A head's row as SQLite holds it: dates as ISO text (every pending post is written by Prisma or the hot path). */
const headOfRow = (r: Record<string, unknown>) =>
  withSqliteDates<Head>(r, ["createdAt", "nextAttemptAt", "leaseUntil"]);

export class PrismaOutboxRepository implements OutboxRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  enqueue(entry: OutboxEntry, now: DateTime): Promise<boolean> {
    return this.createOnce(entry, now, {
      threadKey: entry.threadKey ?? null,
      editsKey: entry.edits ?? null,
      threadName: entry.threadName ?? null,
      status: "pending",
    });
  }

  /** Writes the post under its key, once: false, and nothing written, when the key is taken. */
  private async createOnce(
    entry: OutboxEntry,
    now: DateTime,
    state: Omit<
      Prisma.OutboxMessageUncheckedCreateInput,
      "key" | "platform" | "channel" | "payload" | "nextAttemptAt" | "createdAt"
    >,
  ): Promise<boolean> {
    const { key, platform, channel } = entry;
    const at = now.toJSDate();
    const data = {
      key,
      platform,
      channel,
      payload: JSON.stringify(entry.reply),
      nextAttemptAt: at,
      createdAt: at,
      ...state,
    };
    // Inside a unit: one statement that writes the post or leaves the key's row as it is, without
    // Prisma's per-query cost (a look-up then an insert through Prisma, two posts per ticket).
    const hot = this.hot;
    if (hot) {
      const columns = Object.keys(data) as (keyof typeof data)[];
      const sql = insertSql("OutboxMessage", columns, ' ON CONFLICT ("key") DO NOTHING');
      const written = await hot.run(
        sql,
        columns.map((c) => data[c]),
      );
      if (written !== undefined) return written === 1;
    }
    return createOnce(
      () => this.prisma.outboxMessage.create({ data }),
      async () => (await this.prisma.outboxMessage.count({ where: { key } })) > 0,
    );
  }

  async claimHeads(now: DateTime, worker: string, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
    const at = now.toJSDate();
    // The oldest unsent post of each channel, channels in arrival order of their heads; a head not
    // due yet keeps its channel waiting (order). Found in the index (status, platform, channel,
    // id) without reading the posts behind each head: a burst's backlog is hundreds of pending
    // posts in one channel, and reading them all at every pass (payloads parsed) made the
    // dispatcher's claims the heaviest work behind the acks (issue 16). Then the heads, whole.
    const pending = await this.heads(limit * 20);
    const claimed: ClaimedMessage[] = [];
    for (const m of pending) {
      if (m.nextAttemptAt > at || (m.leaseUntil && m.leaseUntil >= at)) continue;
      if (await this.claim(m.id, worker, at, leaseMs)) {
        claimed.push({
          id: m.id,
          key: m.key,
          platform: m.platform,
          channel: m.channel,
          reply: JSON.parse(m.payload) as Reply,
          ...(m.threadKey ? { threadKey: m.threadKey } : {}),
          ...(m.editsKey ? { edits: m.editsKey } : {}),
          ...(m.threadName ? { threadName: m.threadName } : {}),
          attempts: m.attempts + 1, // this claim's, counted by claimLeased
          ...(m.lastError ? { lastError: m.lastError } : {}),
          createdAt: DateTime.fromJSDate(m.createdAt),
        });
        if (claimed.length >= limit) break;
      }
    }
    return claimed;
  }

  /** The oldest pending post of each channel, at most `channels` of them, oldest first. */
  private async heads(channels: number): Promise<Head[]> {
    const fast = this.hot?.read?.(HEADS_SQL, []);
    if (fast)
      return (await fast)
        .map(headOfRow)
        .sort((a, b) => a.id - b.id)
        .slice(0, channels);
    const heads = await this.prisma.outboxMessage.groupBy({
      by: ["platform", "channel"],
      where: { status: "pending" },
      _min: { id: true },
      orderBy: { _min: { id: "asc" } },
      take: channels,
    });
    return this.prisma.outboxMessage.findMany({
      where: { id: { in: heads.map((h) => h._min.id!) } },
      orderBy: { id: "asc" },
    });
  }

  /** Claims post `id` for `worker` (see claimLeased); true when this worker got it. */
  private async claim(id: number, worker: string, at: Date, leaseMs: number): Promise<boolean> {
    const until = new Date(at.getTime() + leaseMs);
    const fast = this.hot?.transaction?.((w) => w.run(CLAIM_SQL, [worker, until, id, at]));
    if (fast) return (await fast) === 1;
    return claimLeased(this.prisma.outboxMessage, id, { status: "pending" }, worker, at, leaseMs);
  }

  async markSent(id: number, worker: string, now: DateTime, messageId: string | undefined): Promise<void> {
    const fast = this.hot?.transaction?.((w) => w.run(SENT_SQL, [now.toJSDate(), messageId ?? null, id, worker]));
    if (fast) {
      await fast;
      return;
    }
    await this.prisma.outboxMessage.updateMany({
      where: { id, claimedBy: worker },
      data: { status: "sent", sentAt: now.toJSDate(), messageId: messageId ?? null, leaseUntil: null },
    });
  }

  async retryLater(id: number, worker: string, at: DateTime, error: string): Promise<void> {
    await this.prisma.outboxMessage.updateMany({
      where: { id, claimedBy: worker },
      data: { nextAttemptAt: at.toJSDate(), lastError: error.slice(0, 500), leaseUntil: null, claimedBy: null },
    });
  }

  async markFailed(id: number, worker: string, error: string): Promise<void> {
    await this.prisma.outboxMessage.updateMany({
      where: { id, claimedBy: worker },
      data: { status: "failed", lastError: error.slice(0, 500), leaseUntil: null },
    });
  }

  async recorded(key: string): Promise<boolean> {
    return (await this.prisma.outboxMessage.findUnique({ where: { key }, select: { id: true } })) !== null;
  }

  async recordedAmong(keys: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.outboxMessage.findMany({ where: { key: { in: [...keys] } }, select: { key: true } });
    return new Set(rows.map((r) => r.key));
  }

  async sentMessageId(key: string): Promise<string | undefined> {
    const row = await this.prisma.outboxMessage.findUnique({ where: { key } });
    return row?.status === "sent" ? (row.messageId ?? undefined) : undefined;
  }

  async state(key: string): Promise<PostState | undefined> {
    // Asked before every thread reply and edit is sent: a prepared read on SQLite.
    const fast = this.hot?.read?.(POST_STATE_SQL, [key]);
    const row = fast
      ? ((await fast)[0] as { status: string; messageId: string | null } | undefined)
      : await this.prisma.outboxMessage.findUnique({ where: { key } });
    if (!row) return undefined;
    const status = row.status === "sent" || row.status === "failed" ? row.status : "pending";
    return { status, ...(row.messageId ? { messageId: row.messageId } : {}) };
  }

  recordSent(entry: OutboxEntry, messageId: string, now: DateTime): Promise<boolean> {
    return this.createOnce(entry, now, { status: "sent", attempts: 1, messageId, sentAt: now.toJSDate() });
  }

  async retryRefused(key: string, reply: Reply, now: DateTime): Promise<boolean> {
    const { count } = await this.prisma.outboxMessage.updateMany({
      where: { key, status: "failed" },
      data: {
        status: "pending",
        payload: JSON.stringify(reply),
        attempts: 0,
        lastError: null,
        claimedBy: null,
        leaseUntil: null,
        nextAttemptAt: now.toJSDate(),
        createdAt: now.toJSDate(),
      },
    });
    return count > 0;
  }

  async newerEditPending(id: number, edits: string): Promise<boolean> {
    const newer = await this.prisma.outboxMessage.findFirst({
      where: { editsKey: edits, status: "pending", id: { gt: id } },
      select: { id: true },
    });
    return newer !== null;
  }

  countUnsent(): Promise<number> {
    return this.prisma.outboxMessage.count({ where: { status: "pending" } });
  }

  async backlog(): Promise<{ platform: string; status: "pending" | "failed"; count: number }[]> {
    const groups = await this.prisma.outboxMessage.groupBy({
      by: ["platform", "status"],
      where: { status: { in: ["pending", "failed"] } },
      _count: { _all: true },
    });
    return groups.map((g) => ({
      platform: g.platform,
      status: g.status as "pending" | "failed",
      count: g._count._all,
    }));
  }

  async undelivered(keyPrefix: string, lateBefore: DateTime): Promise<UndeliveredRow[]> {
    const rows = await this.prisma.outboxMessage.findMany({
      where: {
        key: { startsWith: keyPrefix },
        OR: [{ status: "failed" }, { status: "pending", createdAt: { lt: lateBefore.toJSDate() } }],
      },
      orderBy: { id: "asc" },
      take: 50,
    });
    return rows.map((m) => ({
      key: m.key,
      platform: m.platform,
      channel: m.channel,
      status: m.status === "failed" ? "failed" : "pending",
      lastError: m.lastError,
      createdAt: DateTime.fromJSDate(m.createdAt),
    }));
  }
}
