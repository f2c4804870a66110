import { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { DeskDraft, DeskEscalation, DeskHandover, DeskRepository, Page } from "../tickets/desk-repository.ts";
import { OPEN_STATUSES, ref } from "../tickets/model.ts";
import { outageRef } from "../outages/model.ts";
import type { DeskViewer, DeskViewerRepository } from "../kit/desk-homes.ts";
import type { Lang } from "../i18n/index.ts";
import type { HotPath } from "./sqlite-hot-path.ts";

const utc = (d: Date) => DateTime.fromJSDate(d, { zone: "utc" });
const openTicket = (ownerId: string) => ({ ownerId, status: { in: [...OPEN_STATUSES] } });
const ongoingOutage = (ownerId: string) => ({ ownerId, status: "ongoing" });

/** DeskRepository on Prisma: narrow rows, each list bounded by `take` and counted beside. */
export class PrismaDeskRepository implements DeskRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async draftsAwaiting(ownerId: string, limit: number): Promise<Page<DeskDraft>> {
    const where = {
      status: "pending",
      OR: [{ ticket: openTicket(ownerId) }, { outage: ongoingOutage(ownerId) }],
    };
    const [rows, total] = await Promise.all([
      this.prisma.updateDraft.findMany({
        where,
        orderBy: { id: "asc" },
        take: limit,
        select: { id: true, ticketId: true, outageId: true, authorName: true, createdAt: true },
      }),
      this.prisma.updateDraft.count({ where }),
    ]);
    const items = rows.map((r) => ({
      id: r.id,
      subject: r.ticketId !== null ? ref(r.ticketId) : outageRef(r.outageId ?? 0),
      authorName: r.authorName,
      createdAt: utc(r.createdAt),
    }));
    return { items, total };
  }

  async handoversAwaiting(personId: string, limit: number): Promise<Page<DeskHandover>> {
    const tickets = { pendingOwnerId: personId, status: { in: [...OPEN_STATUSES] } };
    const outages = { pendingOwnerId: personId, status: "ongoing" };
    const select = { id: true, title: true, ownerName: true } as const;
    const [t, o, tTotal, oTotal] = await Promise.all([
      this.prisma.ticket.findMany({ where: tickets, orderBy: { id: "asc" }, take: limit, select }),
      this.prisma.outage.findMany({ where: outages, orderBy: { id: "asc" }, take: limit, select }),
      this.prisma.ticket.count({ where: tickets }),
      this.prisma.outage.count({ where: outages }),
    ]);
    const items = [
      ...o.map((r) => ({ subject: outageRef(r.id), title: r.title, ownerName: r.ownerName })),
      ...t.map((r) => ({ subject: ref(r.id), title: r.title, ownerName: r.ownerName ?? "" })),
    ].slice(0, limit);
    return { items, total: tTotal + oTotal };
  }

  undecided(limit: number): Promise<Page<DeskEscalation>> {
    return this.escalations({ status: { in: ["sent", "acknowledged", "info_requested"] } }, limit);
  }

  questionsFor(ownerId: string, limit: number): Promise<Page<DeskEscalation>> {
    return this.escalations({ status: "info_requested", ticket: openTicket(ownerId) }, limit);
  }

  ongoingOutages(): Promise<number> {
    return this.prisma.outage.count({ where: { status: "ongoing" } });
  }

  private async escalations(
    where: NonNullable<Parameters<PrismaClient["escalation"]["count"]>[0]>["where"],
    limit: number,
  ): Promise<Page<DeskEscalation>> {
    const [rows, total] = await Promise.all([
      this.prisma.escalation.findMany({
        where,
        orderBy: { id: "asc" },
        take: limit,
        select: { id: true, ticketId: true, targetTeam: true, status: true, createdAt: true },
      }),
      this.prisma.escalation.count({ where }),
    ]);
    const items = rows.map((r) => ({
      ...r,
      status: r.status as DeskEscalation["status"],
      createdAt: utc(r.createdAt),
    }));
    return { items, total };
  }
}

/**
 * `concerned` as one prepared statement on SQLite, whatever the lists' lengths (given as JSON): it
 * runs after every committed write a desk could show, and through Prisma a call cost 222 µs against
 * 26 µs this way (issue 16). `shown` holds quoted references, as `subjects` come.
 */
const CONCERNED_SQL = `SELECT "userId" FROM "DeskViewer" WHERE "openedAt" >= ? AND (? = 1
  OR "userId" IN (SELECT "value" FROM json_each(?))
  OR EXISTS (SELECT 1 FROM json_each(?) AS "s" WHERE instr("shown", "s"."value") > 0))`;

/** Who opened their desk (DeskViewer rows): the people DeskHomes refreshes, on every replica. */
export class PrismaDeskViewerRepository implements DeskViewerRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  async opened(viewer: DeskViewer, at: DateTime): Promise<void> {
    await this.prisma.deskViewer.upsert({
      where: { userId: viewer.id },
      create: { userId: viewer.id, lang: viewer.lang, shown: "[]", openedAt: at.toJSDate() },
      update: { lang: viewer.lang, openedAt: at.toJSDate() },
    });
  }

  async get(id: string): Promise<DeskViewer | undefined> {
    const row = await this.prisma.deskViewer.findUnique({ where: { userId: id } });
    return row ? { id: row.userId, lang: row.lang as Lang } : undefined;
  }

  async concerned(q: { people: string[]; subjects: string[]; everyone: boolean; since: DateTime }): Promise<string[]> {
    if (!q.everyone && q.people.length === 0 && q.subjects.length === 0) return [];
    // `shown` is a JSON array of references: '"T-1"' (quotes included) never matches T-10.
    const quoted = q.subjects.map((s) => JSON.stringify(s));
    const since = q.since.toJSDate();
    const fast = this.hot?.read?.(CONCERNED_SQL, [
      since,
      q.everyone ? 1 : 0,
      JSON.stringify(q.people),
      JSON.stringify(quoted),
    ]);
    if (fast) return (await fast).map((r) => r.userId as string);
    const or = [
      ...(q.people.length ? [{ userId: { in: q.people } }] : []),
      ...quoted.map((s) => ({ shown: { contains: s } })),
    ];
    const rows = await this.prisma.deskViewer.findMany({
      where: { openedAt: { gte: since }, ...(q.everyone ? {} : { OR: or }) },
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }

  async shown(id: string, subjects: string[]): Promise<void> {
    await this.prisma.deskViewer.updateMany({ where: { userId: id }, data: { shown: JSON.stringify(subjects) } });
  }
}
