import type { PrismaClient, Escalation as Row } from "../generated/prisma/client.ts";
import type { EscalationPatch, EscalationRepository, NewEscalation } from "../escalations/escalation-repository.ts";
import type { Escalation } from "../escalations/model.ts";
import { StaleWriteError } from "../retry.ts";
import { fromRow as fromRowOf, toRow as toRowOf } from "./row-mapping.ts";

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
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await this.prisma.escalation.findUnique({ where: { id } });
    return row ? fromRow(row) : undefined;
  }

  async update(id: number, patch: EscalationPatch, expectedVersion: number): Promise<Escalation> {
    const { count } = await this.prisma.escalation.updateMany({
      where: { id, version: expectedVersion },
      data: { ...toRow(patch), version: { increment: 1 } },
    });
    if (count === 0) throw new StaleWriteError("escalation", id);
    return fromRow(await this.prisma.escalation.findUniqueOrThrow({ where: { id } }));
  }
}

const SHAPE = { dates: DATES };
const toRow = (o: object) => toRowOf(o, SHAPE);
const fromRow = (row: Row) => fromRowOf<Escalation>(row, SHAPE);
