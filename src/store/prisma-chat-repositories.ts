import type { DateTime, DurationLike } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import {
  cardKey,
  CLAIMS_KEPT,
  type DraftRepository,
  type FormDraft,
  type IdempotencyRepository,
  type Platform,
  type ThreadRepository,
  type TicketCard,
} from "./chat-repositories.ts";
import { urgently } from "./ambient-transaction.ts";
import { POST_STATE_SQL } from "./prisma-outbox-repository.ts";
import type { HotPath, HotWrites } from "./sqlite-hot-path.ts";
import { createOnce, isRowId } from "./writes.ts";

/**
 * A ticket's card and where it was posted, as prepared statements on SQLite (a card is looked up
 * and saved in every ticket's creation: four Prisma queries, compiled each time, issue 16); through
 * Prisma on PostgreSQL.
 */
const THREAD_SQL = `SELECT "channel" FROM "ChatThread" WHERE "ticketId" = ? AND "platform" = ?`;
const SAVE_THREAD_SQL = `INSERT INTO "ChatThread" ("ticketId", "platform", "channel") VALUES (?, ?, ?) ON CONFLICT ("ticketId", "platform") DO NOTHING`;

export class PrismaThreadRepository implements ThreadRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  async get(ticketId: number, platform: Platform): Promise<TicketCard | undefined> {
    const channel = await this.channelOf(ticketId, platform);
    if (channel === undefined) return undefined;
    const post = await this.cardPost(cardKey(ticketId, platform));
    const messageId = post?.status === "sent" ? post.messageId : null;
    return { channel, ...(messageId ? { messageId } : {}) };
  }

  private async channelOf(ticketId: number, platform: Platform): Promise<string | undefined> {
    const fast = this.hot?.read?.(THREAD_SQL, [ticketId, platform]);
    if (fast) return (await fast)[0]?.channel as string | undefined;
    const row = await this.prisma.chatThread.findUnique({ where: { ticketId_platform: { ticketId, platform } } });
    return row?.channel;
  }

  private async cardPost(key: string): Promise<{ status: string; messageId: string | null } | undefined> {
    const fast = this.hot?.read?.(POST_STATE_SQL, [key]);
    if (fast) return (await fast)[0] as { status: string; messageId: string | null } | undefined;
    return (await this.prisma.outboxMessage.findUnique({ where: { key } })) ?? undefined;
  }

  async save(ticketId: number, platform: Platform, card: { channel: string }): Promise<boolean> {
    // Inside a unit on SQLite: one statement that writes the row or leaves the one there.
    const written = await this.hot?.run(SAVE_THREAD_SQL, [ticketId, platform, card.channel]);
    if (written !== undefined) return written === 1;
    return createOnce(
      () => this.prisma.chatThread.create({ data: { ticketId, platform, channel: card.channel } }),
      async () => (await this.prisma.chatThread.count({ where: { ticketId, platform } })) > 0,
    );
  }
}

/** Claims older than CLAIMS_KEPT are purged by a claim, at most once per PURGE_EVERY_MS per process. */
const PURGE_EVERY_MS = 10 * 60_000;

/** A claim taken only if its key is free; on both databases, and no aborted transaction on PostgreSQL. */
const CLAIM_SQL = `INSERT INTO "ProcessedRequest" ("key", "at") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING`;
/** `claim`'s conditional write and purge, as statements (`claimOn`). */
const RECLAIM_SQL = `UPDATE "ProcessedRequest" SET "at" = ? WHERE "key" = ? AND "at" <= ?`;
const PURGE_SQL = `DELETE FROM "ProcessedRequest" WHERE "at" < ?`;

export class PrismaIdempotencyRepository implements IdempotencyRepository {
  /** When the next purge is due (epoch ms): compared as a number at every claim, which an ack waits for. */
  private nextPurgeMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  /**
   * On an ack's path (Discord claims an interaction before deferring it): ahead of the units of work
   * waiting for SQLite (see `urgently`); inside a unit it changes nothing.
   */
  claim(key: string, at: DateTime, within?: DurationLike): Promise<boolean> {
    return urgently(() => this.claimNow(key, at, within));
  }

  private async claimNow(key: string, at: DateTime, within?: DurationLike): Promise<boolean> {
    await this.purge(at);
    const claims = this.prisma.processedRequest;
    // Inside a unit (a command's record before its ack): one prepared statement, no Prisma query.
    const inserted = await this.hot?.run(CLAIM_SQL, [key, at.toJSDate()]);
    const taken = async () => (await claims.count({ where: { key } })) > 0;
    const created =
      inserted === undefined
        ? await createOnce(() => claims.create({ data: { key, at: at.toJSDate() } }), taken)
        : inserted === 1;
    if (created) return true;
    if (within === undefined) return false;
    // Taken again only if the last claim is old enough; one conditional write, so of two claims at
    // once (a double click) only one moves it.
    const { count } = await claims.updateMany({
      where: { key, at: { lte: at.minus(within).toJSDate() } },
      data: { at: at.toJSDate() },
    });
    return count === 1;
  }

  /**
   * `claim` as statements of a hot path's own transaction (src/store/sqlite-hot-path.ts): what a
   * command's record before its ack claims with it (PrismaCommandRepository.recordFirst).
   */
  claimOn(w: HotWrites, key: string, at: DateTime, within?: DurationLike): boolean {
    if (this.purgeDue(at)) w.run(PURGE_SQL, [at.minus(CLAIMS_KEPT).toJSDate()]);
    if (w.run(CLAIM_SQL, [key, at.toJSDate()]) === 1) return true;
    return within !== undefined && w.run(RECLAIM_SQL, [at.toJSDate(), key, at.minus(within).toJSDate()]) === 1;
  }

  private purgeDue(at: DateTime): boolean {
    const ms = at.toMillis();
    if (ms < this.nextPurgeMs) return false;
    this.nextPurgeMs = ms + PURGE_EVERY_MS;
    return true;
  }

  private async purge(at: DateTime): Promise<void> {
    if (!this.purgeDue(at)) return;
    await this.prisma.processedRequest.deleteMany({ where: { at: { lt: at.minus(CLAIMS_KEPT).toJSDate() } } });
  }
}

export class PrismaDraftRepository implements DraftRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(d: Omit<FormDraft, "id">, at: DateTime): Promise<FormDraft> {
    const row = await this.prisma.formDraft.create({
      data: { ...withoutTyped(d), values: draftJson(d.values, d.typed), updatedAt: at.toJSDate() },
    });
    return { ...d, id: row.id };
  }

  async get(id: number): Promise<FormDraft | undefined> {
    if (!isRowId(id)) return undefined;
    const row = await this.prisma.formDraft.findUnique({ where: { id } });
    return row ? toDraft(row) : undefined;
  }

  async latest(userId: string, command: string, sub: string): Promise<FormDraft | undefined> {
    const row = await this.prisma.formDraft.findFirst({ where: { userId, command, sub }, orderBy: { id: "desc" } });
    return row ? toDraft(row) : undefined;
  }

  async save(
    id: number,
    step: number,
    values: FormDraft["values"],
    at: DateTime,
    typed?: FormDraft["typed"],
  ): Promise<void> {
    await this.prisma.formDraft.updateMany({
      where: { id },
      data: { step, values: draftJson(values, typed), updatedAt: at.toJSDate() },
    });
  }

  async delete(id: number): Promise<void> {
    await this.prisma.formDraft.deleteMany({ where: { id } });
  }
}

/**
 * What was typed rides in the values column under a key no field id can take ("~typed"), so drafts
 * written before it existed still read, and no migration is needed.
 */
const TYPED = "~typed";

function draftJson(values: FormDraft["values"], typed: FormDraft["typed"]): string {
  return JSON.stringify(typed && Object.keys(typed).length > 0 ? { ...values, [TYPED]: typed } : values);
}

function withoutTyped(d: Omit<FormDraft, "id">): Omit<FormDraft, "id" | "typed"> {
  const { typed: _typed, ...rest } = d;
  return rest;
}

function toDraft(row: Omit<FormDraft, "values" | "typed"> & { values: string }): FormDraft {
  const { [TYPED]: typed, ...values } = JSON.parse(row.values) as Record<string, unknown>;
  return {
    id: row.id,
    userId: row.userId,
    command: row.command,
    sub: row.sub,
    channel: row.channel,
    step: row.step,
    values: values as FormDraft["values"],
    ...(typed && typeof typed === "object" ? { typed: typed as Record<string, string> } : {}),
  };
}
