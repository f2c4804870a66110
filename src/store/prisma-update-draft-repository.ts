import { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { isRowId } from "./writes.ts";
import type { UpdateDraft, UpdateDraftRepository } from "../tickets/update-draft-repository.ts";

export class PrismaUpdateDraftRepository implements UpdateDraftRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(d: Omit<UpdateDraft, "id" | "status">): Promise<UpdateDraft> {
    const row = await this.prisma.updateDraft.create({
      data: {
        ticketId: d.ticketId ?? null,
        outageId: d.outageId ?? null,
        authorId: d.authorId,
        authorName: d.authorName,
        payload: JSON.stringify(d.payload),
        status: "pending",
        createdAt: d.createdAt.toJSDate(),
      },
    });
    return { ...d, id: row.id, status: "pending" };
  }

  async get(id: number): Promise<UpdateDraft | undefined> {
    if (!isRowId(id)) return undefined;
    const row = await this.prisma.updateDraft.findUnique({ where: { id } });
    if (!row) return undefined;
    return {
      id: row.id,
      ...(row.ticketId !== null ? { ticketId: row.ticketId } : {}),
      ...(row.outageId !== null ? { outageId: row.outageId } : {}),
      authorId: row.authorId,
      authorName: row.authorName,
      payload: JSON.parse(row.payload) as UpdateDraft["payload"],
      status: row.status as UpdateDraft["status"],
      createdAt: DateTime.fromJSDate(row.createdAt, { zone: "utc" }),
    };
  }

  async settle(id: number, status: "approved" | "rejected"): Promise<boolean> {
    const { count } = await this.prisma.updateDraft.updateMany({ where: { id, status: "pending" }, data: { status } });
    return count === 1;
  }
}
