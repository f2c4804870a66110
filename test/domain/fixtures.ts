import { DateTime } from "luxon";
import { loadPolicy, parsePolicy, type Policy } from "../../src/config/policy.ts";

/** Pure fixtures for the domain tests: the real default policy, variants, and Paris instants. */

export const ZONE = "Europe/Paris";

/** The shipped default policy (config/policy.yaml). */
export function defaultPolicy(): Policy {
  return loadPolicy(new URL("../../config/policy.yaml", import.meta.url).pathname);
}

/** A local wall-clock instant in Paris, e.g. paris("2026-11-20T15:00"). */
export function paris(iso: string): DateTime {
  const t = DateTime.fromISO(iso, { zone: ZONE });
  if (!t.isValid) throw new Error(`bad test instant ${iso}: ${t.invalidExplanation}`);
  return t;
}

/** The full ISO text of an instant as seen in Paris (offset included), for exact comparisons. */
export function iso(t: DateTime | null | undefined): string | null {
  return t ? t.setZone(ZONE).toISO() : null;
}

/** A raw (unparsed) policy equal to the shipped defaults, to derive variants through parsePolicy. */
export function rawPolicy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    language: "fr",
    timezone: ZONE,
    businessHours: {
      mon: ["08:00-18:00"],
      tue: ["08:00-18:00"],
      wed: ["08:00-18:00"],
      thu: ["08:00-18:00"],
      fri: ["08:00-18:00"],
      sat: [],
      sun: [],
    },
    holidays: ["2026-11-11", "2026-12-25", "2027-01-01", "2027-03-29"],
    cutoff: "16:00",
    sla: {
      P1: { clock: "24/7", firstResponse: "30m", updateEvery: "60m", resolution: "ASAP", warnBefore: "10m" },
      P2: { clock: "business", firstResponse: "2h", updateEvery: "4h", resolution: "1-2bd", warnBefore: "30m" },
      P3: { clock: "business", firstResponse: "8h", updateEvery: "1bd", resolution: "3-5bd", warnBefore: "1h" },
    },
    defaultPriority: "P3",
    pauseWhileWaiting: ["requester"],
    autoCloseAfter: "72h",
    escalation: { channel: "escalades", followUp: { incident: "30m", vip: "4h", standard: "24h" } },
    managers: { users: [], role: "helpdesk-managers" },
    repetition: { count: 3, window: "7bd" },
    ...overrides,
  };
}

/** A validated variant of the defaults. */
export function variant(overrides: Record<string, unknown>): Policy {
  return parsePolicy(rawPolicy(overrides), "test variant");
}

/** Lunch-break variant: 08:00-12:00 and 13:00-17:00 on weekdays. */
export const LUNCH_HOURS = {
  mon: ["08:00-12:00", "13:00-17:00"],
  tue: ["08:00-12:00", "13:00-17:00"],
  wed: ["08:00-12:00", "13:00-17:00"],
  thu: ["08:00-12:00", "13:00-17:00"],
  fri: ["08:00-12:00", "13:00-17:00"],
  sat: [],
  sun: [],
};
