import type { PrismaClient, Escalation as Row } from "../generated/prisma/client.ts";
import type { EscalationPatch, EscalationRepository, NewEscalation } from "../escalations/escalation-repository.ts";
import type { Escalation } from "../escalations/model.ts";
import { fromRow as fromRowOf, toRow as toRowOf } from "./row-mapping.ts";
import { isRowId, updateVersioned } from "./writes.ts";

const DATES = new Set(["nextUpdateAt", "ackEta", "createdAt"]);

export class PrismaEscalationRepository implements EscalationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(e: NewEscalation): Promise<Escalation> {
    return fromRow(
      await this.prisma.escalation.create({
        data: toRow(e) as Parameters<PrismaClient["escalation"]["create"]>[0]["data"],
      }),
    );
  }

  async get(id: number): Promise<Escalation | undefined> {
    if (!isRowId(id)) return undefined;
    const row = await this.prisma.escalation.findUnique({ where: { id } });
    return row ? fromRow(row) : undefined;
  }

  async forTicket(ticketId: number): Promise<Escalation[]> {
    if (!isRowId(ticketId)) return [];
    const rows = await this.prisma.escalation.findMany({ where: { ticketId }, orderBy: { id: "asc" } });
    return rows.map(fromRow);
  }

  async awaitingAcknowledgement(limit: number): Promise<Escalation[]> {
    const rows = await this.prisma.escalation.findMany({
      where: { status: "sent" },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(fromRow);
  }

  async update(id: number, patch: EscalationPatch, expectedVersion: number): Promise<Escalation> {
    return fromRow(await updateVersioned(this.prisma.escalation, "escalation", id, toRow(patch), expectedVersion));
  }
}

const SHAPE = { dates: DATES };
const toRow = (o: object) => toRowOf(o, SHAPE);
const fromRow = (row: Row) => fromRowOf<Escalation>(row, SHAPE);
