import type { DateTime } from "luxon";
import { eventRow, fromEventRow, fromRow as fromRowOf, toRow as toRowOf } from "./row-mapping.ts";
import { isRowId, updateVersioned, withEvent } from "./writes.ts";
import type { PrismaClient, Ticket as TicketRow, TicketEvent as TicketEventRow } from "../generated/prisma/client.ts";
import { OPEN_STATUSES, type Ticket } from "../tickets/model.ts";
import type { Priority } from "../tickets/priority.ts";
import type { SlaSubject } from "../sla/sla-state.ts";
import type { NewEvent, TimelineEvent } from "../timeline/events.ts";
import type { NewTicket, TicketPatch, TicketQuery, TicketRepository } from "../tickets/ticket-repository.ts";
import { type HotPath, withSqliteDates } from "./sqlite-hot-path.ts";

/**
 * A ticket by id as a prepared statement on SQLite: read again in every ticket's creation (its card)
 * and most commands, where Prisma compiled and mapped the query each time (issue 16).
 */
const TICKET_SQL = `SELECT * FROM "Ticket" WHERE "id" = ?`;

/** TicketRepository on Prisma (SQLite through better-sqlite3; PostgreSQL through pg later). */
export class PrismaTicketRepository implements TicketRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hot?: HotPath,
  ) {}

  async create(ticket: NewTicket, event: NewEvent): Promise<Ticket> {
    const hot = this.hot;
    if (hot) {
      // In the unit's transaction (one opened here when there is none): the row, then its event.
      return this.prisma.$transaction(async () => {
        const data = toRow(ticket);
        const id = await hot.insert("Ticket", data);
        if (id === undefined) return this.createThroughPrisma(ticket, event);
        await hot.insert("TicketEvent", { ticketId: id, ...eventRow(event) });
        // The row as Prisma's create returns it: what was written, its id, its version's default.
        return fromRow({ ...data, id, version: 0 } as TicketRow);
      });
    }
    return this.createThroughPrisma(ticket, event);
  }

  private async createThroughPrisma(ticket: NewTicket, event: NewEvent): Promise<Ticket> {
    const row = await withEvent(
      this.prisma,
      (tx) => tx.ticket.create({ data: toRow(ticket) as TicketCreateData }),
      (tx, ticketId) => tx.ticketEvent.create({ data: { ticketId, ...eventRow(event) } }),
    );
    return fromRow(row);
  }

  async get(id: number): Promise<Ticket | undefined> {
    if (!isRowId(id)) return undefined;
    const fast = this.hot?.read?.(TICKET_SQL, [id]);
    if (fast) {
      const [r] = await fast;
      return r ? fromRow(withSqliteDates<TicketRow>(r, DATE_FIELDS)) : undefined;
    }
    const row = await this.prisma.ticket.findUnique({ where: { id } });
    return row ? fromRow(row) : undefined;
  }

  async update(id: number, patch: TicketPatch, event: NewEvent, expectedVersion?: number): Promise<Ticket> {
    const row = await withEvent(
      this.prisma,
      (tx) => updateVersioned(tx.ticket, "ticket", id, toRow(patch), expectedVersion),
      (tx, ticketId) => tx.ticketEvent.create({ data: { ticketId, ...eventRow(event) } }),
    );
    return fromRow(row);
  }

  async list(query: TicketQuery): Promise<Ticket[]> {
    const skip = query.offset ?? 0;
    const window = skip + query.limit;
    // `status IN (…) ORDER BY priority, id` sorts every matching row (SQLite: a temp B-tree over
    // all open tickets). One status at a time, the index is already in queue order: each reads
    // the page's window of index entries only (ids and priorities), merged here.
    const heads = await Promise.all(
      query.statuses.map((status) =>
        this.prisma.ticket.findMany({
          where: { ...where({ ...query, statuses: [] }), status },
          select: { id: true, priority: true },
          // P1 < P2 < P3 sorts as text; id is arrival order.
          orderBy: [{ priority: "asc" }, { id: "asc" }],
          take: window,
        }),
      ),
    );
    const ids = heads
      .flat()
      .sort((a, b) => (a.priority < b.priority ? -1 : a.priority > b.priority ? 1 : a.id - b.id))
      .slice(skip, window)
      .map((h) => h.id);
    if (ids.length === 0) return [];
    const byId = new Map<number, TicketRow>();
    // In slices: a database takes only so many parameters in one query (SQLite's adapter, 999).
    for (let i = 0; i < ids.length; i += ID_SLICE)
      for (const r of await this.prisma.ticket.findMany({ where: { id: { in: ids.slice(i, i + ID_SLICE) } } }))
        byId.set(r.id, r);
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [fromRow(row)] : [];
    });
  }

  async liveAfter(afterId: number, limit: number): Promise<Ticket[]> {
    const rows = await this.prisma.ticket.findMany({
      where: { id: { gt: afterId }, status: { not: "closed" } },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(fromRow);
  }

  count(query: Omit<TicketQuery, "limit" | "offset">, atMost?: number): Promise<number> {
    if (atMost === undefined) return this.prisma.ticket.count({ where: where(query) });
    // A bounded count is a LIMIT subquery, which Prisma orders (by id unless told): in the
    // indexes' own order it reads `atMost` index entries, not every matching row sorted.
    return this.prisma.ticket.count({
      where: where(query),
      orderBy: [{ status: "asc" }, { priority: "asc" }, { id: "asc" }],
      take: atMost,
    });
  }

  async slaTally(
    now: DateTime,
    horizons: Readonly<Record<Priority, DateTime>>,
    limit: number,
  ): Promise<{ breached: { priority: Priority; count: number }[]; soon: SlaSubject[] }> {
    const at = now.toJSDate();
    const open = { status: { in: [...OPEN_STATUSES] }, pausedAt: null };
    // The pending deadlines (slaStanding's): the first response until it is given, then the next
    // update promised; the resolution. Nulls spelt out: a NOT over a nullable column drops rows.
    const dueBy = (d: Date) => ({
      OR: [
        { firstResponseAt: null, firstResponseDue: { lte: d } },
        { firstResponseAt: { not: null }, nextUpdateDue: { lte: d } },
        { resolutionDue: { lte: d } },
      ],
    });
    const notBreached = [
      {
        OR: [
          { firstResponseAt: null, firstResponseDue: { gt: at } },
          { firstResponseAt: { not: null }, OR: [{ nextUpdateDue: null }, { nextUpdateDue: { gt: at } }] },
        ],
      },
      { OR: [{ resolutionDue: null }, { resolutionDue: { gt: at } }] },
    ];
    const [breached, soon] = await Promise.all([
      this.prisma.ticket.groupBy({ by: ["priority"], where: { ...open, ...dueBy(at) }, _count: { _all: true } }),
      this.prisma.ticket.findMany({
        where: {
          ...open,
          AND: [
            ...notBreached,
            { OR: Object.entries(horizons).map(([priority, h]) => ({ priority, ...dueBy(h.toJSDate()) })) },
          ],
        },
        select: SLA_SELECT,
        orderBy: { id: "asc" },
        take: limit,
      }),
    ]);
    return {
      breached: breached.map((b) => ({ priority: b.priority as Priority, count: b._count._all })),
      soon: soon.map((row) => fromRowOf<SlaSubject>(row, SHAPE)),
    };
  }

  async sameSource(q: {
    since: DateTime;
    requester?: string;
    department?: string;
    excludeId: number;
    limit: number;
  }): Promise<Ticket[]> {
    const or = [
      ...(q.requester ? [{ requester: q.requester }] : []),
      ...(q.department ? [{ department: q.department }] : []),
    ];
    if (or.length === 0) return [];
    const rows = await this.prisma.ticket.findMany({
      where: { createdAt: { gte: q.since.toJSDate() }, id: { not: q.excludeId }, OR: or },
      orderBy: { id: "desc" },
      take: q.limit,
    });
    return rows.map(fromRow);
  }

  async linked(to: { parentId: number } | { outageId: number } | { followUpOf: number }): Promise<Ticket[]> {
    const rows = await this.prisma.ticket.findMany({ where: to, orderBy: { id: "asc" } });
    return rows.map(fromRow);
  }

  async timeline(id: number): Promise<TimelineEvent[]> {
    const rows = await this.prisma.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    return rows.map(toEvent);
  }

  async activity(
    range: { from: DateTime; to: DateTime },
    limit: number,
  ): Promise<{ tickets: { ticket: Ticket; events: TimelineEvent[] }[]; truncated: boolean }> {
    const from = range.from.toJSDate();
    const to = range.to.toJSDate();
    const hits = await this.prisma.ticketEvent.findMany({
      where: { kind: { in: [...REPORTED_KINDS] }, at: { gte: from, lt: to } },
      select: { ticketId: true },
      distinct: ["ticketId"],
      orderBy: { ticketId: "asc" },
      take: limit + 1,
    });
    const ids = hits.slice(0, limit).map((h) => h.ticketId);
    const rows: TicketRow[] = [];
    const events: TicketEventRow[] = [];
    // In slices: a database takes only so many parameters in one query (SQLite's adapter, 999).
    for (let i = 0; i < ids.length; i += ID_SLICE) {
      const slice = ids.slice(i, i + ID_SLICE);
      rows.push(...(await this.prisma.ticket.findMany({ where: { id: { in: slice } }, orderBy: { id: "asc" } })));
      events.push(
        ...(await this.prisma.ticketEvent.findMany({
          where: { ticketId: { in: slice }, at: { lt: to } },
          orderBy: [{ ticketId: "asc" }, { id: "asc" }],
        })),
      );
    }
    const byTicket = new Map<number, TimelineEvent[]>();
    for (const e of events) {
      const list = byTicket.get(e.ticketId) ?? [];
      list.push(toEvent(e));
      byTicket.set(e.ticketId, list);
    }
    return {
      tickets: rows.map((r) => ({ ticket: fromRow(r), events: byTicket.get(r.id) ?? [] })),
      truncated: hits.length > limit,
    };
  }
}

/** What a ticket's SLA standing is read from (SlaSubject). */
const SLA_SELECT = {
  priority: true,
  status: true,
  pausedAt: true,
  clockStart: true,
  firstResponseAt: true,
  firstResponseDue: true,
  nextUpdateDue: true,
  resolutionDue: true,
} as const;

/** How many ticket ids go in one query's `IN (…)`. */
const ID_SLICE = 500;

/** The events that put a ticket in a report's range. */
const REPORTED_KINDS = ["created", "resolved", "closed", "reopened"] as const;

function toEvent(r: TicketEventRow): TimelineEvent {
  return { id: r.id, ticketId: r.ticketId, ...fromEventRow(r), kind: r.kind as TimelineEvent["kind"] };
}

type TicketCreateData = Parameters<PrismaClient["ticket"]["create"]>[0]["data"];

function where(q: Omit<TicketQuery, "limit" | "offset">) {
  return {
    status: { in: [...q.statuses] },
    ...(q.priority ? { priority: q.priority } : {}),
    ...(q.ownerId ? { ownerId: q.ownerId } : {}),
  };
}

const DATE_FIELDS = [
  "createdAt",
  "clockStart",
  "firstResponseAt",
  "firstResponseDue",
  "nextUpdateDue",
  "resolutionDue",
  "pausedAt",
  "resolvedAt",
  "autoCloseAt",
  "closedAt",
  "updatedAt",
  "dueAt",
] as const satisfies ReadonlyArray<keyof Ticket & keyof TicketRow>;
const DATES: ReadonlySet<string> = new Set(DATE_FIELDS);

const SHAPE = { dates: DATES };
const toRow = (t: TicketPatch | NewTicket) => toRowOf(t, SHAPE);
const fromRow = (row: TicketRow) => fromRowOf<Ticket>(row, SHAPE);
