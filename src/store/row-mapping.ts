import { DateTime } from "luxon";

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
