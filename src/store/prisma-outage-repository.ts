import type { DateTime } from "luxon";
import type { PrismaClient, Outage as OutageRow } from "../generated/prisma/client.ts";
import type { Outage } from "../outages/model.ts";
import type { NewOutage, OutageEventRow, OutagePatch, OutageRepository } from "../outages/outage-repository.ts";
import type { NewEvent } from "../timeline/events.ts";
import { eventRow, fromEventRow, fromRow as fromRowOf, toRow as toRowOf } from "./row-mapping.ts";
import { isRowId, updateVersioned, withEvent } from "./writes.ts";

const DATES = new Set(["declaredAt", "estimate", "lastUpdateAt", "nextUpdateDue", "resolvedAt"]);
const JSON_FIELDS = new Set(["channels", "room"]);

const SHAPE = { dates: DATES, json: JSON_FIELDS };
const toRow = (o: OutagePatch | NewOutage) => toRowOf(o, SHAPE);
const fromRow = (row: OutageRow) => fromRowOf<Outage>(row, SHAPE);

type Event = Omit<NewEvent, "kind"> & { kind: string };
type OutageCreateData = Parameters<PrismaClient["outage"]["create"]>[0]["data"];

export class PrismaOutageRepository implements OutageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(outage: NewOutage, event: Event): Promise<Outage> {
    const row = await withEvent(
      this.prisma,
      (tx) => tx.outage.create({ data: toRow(outage) as OutageCreateData }),
      (tx, outageId) => tx.outageEvent.create({ data: { outageId, ...eventRow(event) } }),
    );
    return fromRow(row);
  }

  async get(id: number): Promise<Outage | undefined> {
    if (!isRowId(id)) return undefined;
    const row = await this.prisma.outage.findUnique({ where: { id } });
    return row ? fromRow(row) : undefined;
  }

  async update(id: number, patch: OutagePatch, event: Event, expectedVersion: number): Promise<Outage> {
    const row = await withEvent(
      this.prisma,
      (tx) => updateVersioned(tx.outage, "outage", id, toRow(patch), expectedVersion),
      (tx, outageId) => tx.outageEvent.create({ data: { outageId, ...eventRow(event) } }),
    );
    return fromRow(row);
  }

  async ongoing(limit: number): Promise<Outage[]> {
    const rows = await this.prisma.outage.findMany({
      where: { status: "ongoing" },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(fromRow);
  }

  async resolvedSince(since: DateTime, limit: number): Promise<Outage[]> {
    const rows = await this.prisma.outage.findMany({
      where: { status: "resolved", resolvedAt: { gte: since.toJSDate() } },
      orderBy: [{ resolvedAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(fromRow);
  }

  async timeline(id: number): Promise<OutageEventRow[]> {
    const rows = await this.prisma.outageEvent.findMany({ where: { outageId: id }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ id: r.id, outageId: r.outageId, ...fromEventRow(r) }));
  }
}
