import type { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ChatThreadRef, IdempotencyRepository, Platform, ThreadRepository } from "./chat-repositories.ts";

const UNIQUE_VIOLATION = "P2002";

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === UNIQUE_VIOLATION;
}

export class PrismaThreadRepository implements ThreadRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(ticketId: number, platform: Platform): Promise<ChatThreadRef | undefined> {
    const row = await this.prisma.chatThread.findUnique({ where: { ticketId_platform: { ticketId, platform } } });
    return row ? { channel: row.channel, messageId: row.messageId } : undefined;
  }

  async save(ticketId: number, platform: Platform, ref: ChatThreadRef): Promise<boolean> {
    try {
      await this.prisma.chatThread.create({ data: { ticketId, platform, ...ref } });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
}

export class PrismaIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(key: string, at: DateTime): Promise<boolean> {
    try {
      await this.prisma.processedRequest.create({ data: { key, at: at.toJSDate() } });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
}
