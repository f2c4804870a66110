import { DateTime } from "luxon";
import type { Texts } from "../i18n/index.ts";
import type { OutageEventRow } from "../outages/outage-repository.ts";
import { STAGES, type Stage } from "../tickets/model.ts";
import { escapeXml as e } from "./escape.ts";
import { STATUS_PATHS } from "./html.ts";
import type { PublicOutage, StatusSnapshot } from "./snapshot.ts";

/** /status.json: what the page shows, times as ISO 8601 in the policy's zone and as people read them. */
export function statusJson(x: Texts, s: StatusSnapshot, title: string): string {
  const iso = (d: DateTime | undefined) => (d ? d.setZone(x.zone).toISO() : null);
  const outage = (o: PublicOutage) => {
    const at = x.moments();
    return {
      ref: o.ref,
      title: o.title,
      status: o.status,
      services: o.services,
      impact: o.impact,
      stage: o.stage ?? null,
      stageText: o.stage ? x.t(`choice.stage.${o.stage}`) : x.t("status.stage_declared"),
      workaround: o.workaround ?? null,
      declaredAt: iso(o.declaredAt),
      lastUpdateAt: iso(o.lastUpdateAt),
      nextUpdateDue: iso(o.nextUpdateDue),
      nextUpdateText: o.nextUpdateDue ? at(o.nextUpdateDue) : null,
      estimate: iso(o.estimate),
      resolvedAt: iso(o.resolvedAt),
      summary: o.summary ?? null,
      ...(o.owner ? { owner: o.owner } : {}),
    };
  };
  return JSON.stringify({
    title,
    language: x.lang,
    timezone: x.zone,
    generatedAt: iso(s.at),
    ongoing: s.ongoing.map(outage),
    resolved: s.resolved.map(outage),
  });
}

/** The steps of an outage the public follows; the rest of its timeline (handovers, rooms) is internal. */
const PUBLIC_STEPS = ["declared", "updated", "no_change", "resolved"] as const;
type PublicStep = (typeof PUBLIC_STEPS)[number];

/** One feed entry per public step of each outage on the page, the latest first. */
export interface FeedEntry {
  outage: PublicOutage;
  event: OutageEventRow;
}

export const FEED_ID = "tag:relais,2026:status";
const MAX_ENTRIES = 100;

export function isPublicStep(event: OutageEventRow): boolean {
  return (PUBLIC_STEPS as readonly string[]).includes(event.kind);
}

/**
 * /status.atom (RFC 4287): the feed's id, title, updated, author and self link; one entry per
 * declaration, update, "no change" and restoration, each with a stable id, its time and a text
 * built from the public fields only (never the event's actor, reason or next action).
 */
export function statusAtom(x: Texts, s: StatusSnapshot, entries: FeedEntry[], opts: { title: string; base: string }) {
  const sorted = [...entries].sort((a, b) => b.event.at.toMillis() - a.event.at.toMillis()).slice(0, MAX_ENTRIES);
  const updated = sorted[0]?.event.at ?? s.at;
  const stamp = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true })!;
  const page = `${opts.base}${STATUS_PATHS.page}`;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x.lang}">
<id>${FEED_ID}</id>
<title>${e(opts.title)}</title>
<updated>${stamp(updated)}</updated>
<author><name>${e(opts.title)}</name></author>
<link rel="self" type="application/atom+xml" href="${e(`${opts.base}${STATUS_PATHS.atom}`)}"/>
<link rel="alternate" type="text/html" href="${e(page)}"/>
${sorted
  .map(({ outage: o, event }) => {
    const { title, body } = entryText(x, o, event);
    return `<entry>
<id>${FEED_ID}:${e(o.ref)}:${event.id}</id>
<title>${e(title)}</title>
<updated>${stamp(event.at)}</updated>
<link rel="alternate" type="text/html" href="${e(`${page}#${o.ref.toLowerCase()}-title`)}"/>
<content type="text">${e(body)}</content>
</entry>`;
  })
  .join("\n")}
</feed>
`;
}

function entryText(x: Texts, o: PublicOutage, event: OutageEventRow): { title: string; body: string } {
  const at = x.moments();
  const step = event.kind as PublicStep;
  const params = { ref: o.ref, title: o.title };
  const next = dateOf(event.data.nextUpdateDue);
  const nextText = next ? at(next) : x.t("ticket.none");
  switch (step) {
    case "declared":
      return {
        title: x.t("status.entry_declared", params),
        body: x.t("status.entry_declared_body", { services: o.services, impact: o.impact, next: nextText }),
      };
    case "updated": {
      const stage = stageOf(event.data.stage);
      return {
        title: x.t("status.entry_updated", params),
        body: x.t("status.entry_updated_body", {
          stage: stage ? x.t(`choice.stage.${stage}`) : x.t("status.stage_declared"),
          next: nextText,
        }),
      };
    }
    case "no_change":
      return {
        title: x.t("status.entry_no_change", params),
        body: x.t("status.entry_no_change_body", { next: nextText }),
      };
    case "resolved":
      return {
        title: x.t("status.entry_resolved", params),
        body: x.t("status.entry_resolved_body", { result: o.summary ?? "" }).trim(),
      };
  }
}

function dateOf(v: unknown): DateTime | undefined {
  if (typeof v !== "string") return undefined;
  const d = DateTime.fromISO(v);
  return d.isValid ? d : undefined;
}

function stageOf(v: unknown): Stage | undefined {
  return (STAGES as readonly unknown[]).includes(v) ? (v as Stage) : undefined;
}
