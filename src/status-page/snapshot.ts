import { createHash } from "node:crypto";
import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { Lang } from "../i18n/index.ts";
import { outageRef, type Outage } from "../outages/model.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import type { Stage } from "../tickets/model.ts";

/** How far back restored outages stay on the page (issue 17: "those resolved in the last 7 days"). */
export const RESOLVED_WINDOW = { days: 7 } as const;
const MAX_SHOWN = 50;

/** Where the page reads outages: the outage repository's read side. */
export type StatusSource = Pick<OutageRepository, "ongoing" | "resolvedSince" | "timeline">;

/**
 * What the public may read of an outage. Built field by field from a whitelist: the owner's name
 * only when the policy allows it; never the channels, the room, the linked tickets, the blocker,
 * the next action (they name people and internal steps), escalations, or who asked.
 */
export interface PublicOutage {
  id: number;
  ref: string;
  title: string;
  services: string;
  impact: string;
  status: "ongoing" | "resolved";
  stage?: Stage;
  workaround?: string;
  estimate?: DateTime;
  declaredAt: DateTime;
  lastUpdateAt: DateTime;
  /** Ongoing outages only: the promised next update. */
  nextUpdateDue?: DateTime;
  resolvedAt?: DateTime;
  /** The restoration's result, in the owner's words (resolved outages only). */
  summary?: string;
  owner?: string;
}

export interface StatusSnapshot {
  at: DateTime;
  ongoing: PublicOutage[];
  resolved: PublicOutage[];
}

export function publicOutage(o: Outage, showOwner: boolean): PublicOutage {
  const resolved = o.status === "resolved";
  return {
    id: o.id,
    ref: outageRef(o.id),
    title: o.title,
    services: o.services,
    impact: o.impact,
    status: o.status,
    ...(o.stage ? { stage: o.stage } : {}),
    ...(o.workaround ? { workaround: o.workaround } : {}),
    ...(o.estimate && !resolved ? { estimate: o.estimate } : {}),
    declaredAt: o.declaredAt,
    lastUpdateAt: o.lastUpdateAt,
    ...(resolved ? {} : { nextUpdateDue: o.nextUpdateDue }),
    ...(o.resolvedAt ? { resolvedAt: o.resolvedAt } : {}),
    ...(resolved && o.result ? { summary: o.result } : {}),
    ...(showOwner ? { owner: o.ownerName } : {}),
  };
}

/** The ongoing outages (oldest first) and those restored in the last 7 days (latest first), at `clock`'s now. */
export async function statusSnapshot(source: StatusSource, clock: Clock, showOwner: boolean): Promise<StatusSnapshot> {
  const at = clock.now();
  const [ongoing, resolved] = await Promise.all([
    source.ongoing(MAX_SHOWN),
    source.resolvedSince(at.minus(RESOLVED_WINDOW), MAX_SHOWN),
  ]);
  return {
    at,
    ongoing: ongoing.map((o) => publicOutage(o, showOwner)),
    resolved: resolved.map((o) => publicOutage(o, showOwner)),
  };
}

/** Changes whenever anything shown changes (not with the time of reading): what live refresh compares. */
export function fingerprint(s: StatusSnapshot): string {
  return createHash("sha256")
    .update(JSON.stringify([s.ongoing, s.resolved]))
    .digest("base64url")
    .slice(0, 16);
}

/**
 * The language of the page from `Accept-Language` ("en-GB,en;q=0.9,fr;q=0.8"): the first of French
 * and English by preference, the policy's language when the browser names neither.
 */
export function pickLang(header: string | undefined, fallback: Lang): Lang {
  const ranked = (header ?? "")
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag!.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const base = r.tag.split("-")[0];
    if (base === "fr" || base === "en") return base;
  }
  return fallback;
}
