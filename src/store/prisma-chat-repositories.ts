import type { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type {
  ChatThreadRef,
  DraftRepository,
  FormDraft,
  IdempotencyRepository,
  Platform,
  ThreadRepository,
} from "./chat-repositories.ts";
import { createOnce, isRowId } from "./writes.ts";

export class PrismaThreadRepository implements ThreadRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(ticketId: number, platform: Platform): Promise<ChatThreadRef | undefined> {
    const row = await this.prisma.chatThread.findUnique({ where: { ticketId_platform: { ticketId, platform } } });
    return row ? { channel: row.channel, messageId: row.messageId } : undefined;
  }

  save(ticketId: number, platform: Platform, ref: ChatThreadRef): Promise<boolean> {
    return createOnce(() => this.prisma.chatThread.create({ data: { ticketId, platform, ...ref } }));
  }
}

export class PrismaIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  claim(key: string, at: DateTime): Promise<boolean> {
    return createOnce(() => this.prisma.processedRequest.create({ data: { key, at: at.toJSDate() } }));
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
