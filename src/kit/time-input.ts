import { DateTime } from "luxon";

/**
 * A time as a technician types it, in the policy's zone: `14:30`, `14h30`, `14h`, `demain 9:00`,
 * `tomorrow 09:00`, `2026-12-01 10:00`, `+90m`, `+2h`, `+1j`/`+1d`. Undefined when not understood.
 */
export function parseTimeInput(text: string, now: DateTime, zone: string): DateTime | undefined {
  const s = text.trim().toLowerCase();
  const local = now.setZone(zone);
  const rel = /^\+\s*(\d{1,4})\s*(m|min|h|j|d)$/.exec(s);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2];
    return unit === "m" || unit === "min"
      ? now.plus({ minutes: n })
      : unit === "h"
        ? now.plus({ hours: n })
        : now.plus({ days: n });
  }
  const full = /^(\d{4}-\d{2}-\d{2})[ t](\d{1,2})[:h](\d{2})?$/.exec(s);
  if (full) {
    const d = DateTime.fromISO(full[1]!, { zone });
    return d.isValid ? clock(d, full[2]!, full[3]) : undefined;
  }
  const day = /^(?:(demain|tomorrow|aujourd['\u2019]hui|today)\s+)?(?:à\s+|at\s+)?(\d{1,2})[:h](\d{2})?$/.exec(s);
  if (day) {
    const base = day[1] === "demain" || day[1] === "tomorrow" ? local.plus({ days: 1 }) : local;
    return clock(base, day[2]!, day[3]);
  }
  return undefined;
}

function clock(day: DateTime, h: string, m: string | undefined): DateTime | undefined {
  const hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (hour > 23 || minute > 59) return undefined;
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}
