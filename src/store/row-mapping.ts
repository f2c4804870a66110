import { DateTime } from "luxon";
import type { NewEvent } from "../timeline/events.ts";

/**
 * Domain objects ↔ Prisma rows, for every repository: luxon DateTimes ↔ Dates, structured fields ↔
 * JSON text, absent ↔ null. In a patch, `undefined` leaves a column alone and `null` clears it.
 */
export interface RowShape {
  dates: ReadonlySet<string>;
  json?: ReadonlySet<string>;
}

export function toRow(o: object, shape: RowShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] =
      v === null ? null : shape.dates.has(k) ? (v as DateTime).toJSDate() : shape.json?.has(k) ? JSON.stringify(v) : v;
  }
  return out;
}

export function fromRow<T>(row: object, shape: RowShape): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null) continue;
    out[k] = shape.dates.has(k)
      ? DateTime.fromJSDate(v as Date, { zone: "utc" })
      : shape.json?.has(k)
        ? JSON.parse(v as string)
        : v;
  }
  return out as T;
}

/** What a timeline event row holds besides its record's id (ticketId, outageId). */
export function eventRow(e: Omit<NewEvent, "kind"> & { kind: string }) {
  return {
    at: e.at.toJSDate(),
    actorId: e.actor.id,
    actorName: e.actor.name,
    kind: e.kind,
    reason: e.reason ?? null,
    data: JSON.stringify(e.data ?? {}),
  };
}

/** A timeline event row read back, but for its ids (its own, its record's). */
export function fromEventRow(r: {
  at: Date;
  actorId: string;
  actorName: string;
  kind: string;
  reason: string | null;
  data: string;
}) {
  return {
    at: DateTime.fromJSDate(r.at, { zone: "utc" }),
    actor: { id: r.actorId, name: r.actorName },
    kind: r.kind,
    ...(r.reason !== null ? { reason: r.reason } : {}),
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}
