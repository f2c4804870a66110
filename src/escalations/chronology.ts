import type { DateTime } from "luxon";
import { hasKey, type MessageKey, type Texts } from "../i18n/index.ts";
import { LONG_MAX } from "../text.ts";

/**
 * The note's "facts (chronology)" section as the form proposes it (seed 003, "note interne
 * standard" §2: "faits (chronologie)"): one line per recorded event of the ticket and of its linked
 * outage, in time order, with its local time in the policy's zone (stated once) and what happened,
 * in the reader's language. The technician edits it before sending.
 */

/** One recorded event, whatever timeline it comes from. */
export interface ChronologyEvent {
  at: DateTime;
  /** The record it belongs to: "T-3" or "INC-1". */
  subject: string;
  kind: string;
  who: string;
  reason?: string;
  data: Record<string, unknown>;
}

/**
 * Events that tell nothing to the receiving team: the incident room opening is plumbing, and a
 * follow-up (someone reading the ticket's status) is not a fact about the problem.
 */
const SKIPPED = new Set(["room_opened", "followed_up"]);

export function chronologyText(x: Texts, events: readonly ChronologyEvent[], title: string, max = LONG_MAX): string {
  const lines = [...events]
    .filter((e) => !SKIPPED.has(e.kind))
    .sort((a, b) => a.at.toMillis() - b.at.toMillis())
    .map((e) => `${x.time(e.at)} — ${e.subject} · ${what(x, e, title)}`);
  const head = x.t("escalation.fact.zone", { zone: x.zone });
  // Too long for the field: the earliest lines give way to the latest ones, and "…" says so.
  let kept = lines;
  const text = (ls: readonly string[], cut: boolean) => [head, ...(cut ? ["…"] : []), ...ls].join("\n");
  while (kept.length > 1 && [...text(kept, kept !== lines)].length > max) kept = kept.slice(1);
  return text(kept, kept !== lines);
}

function what(x: Texts, e: ChronologyEvent, title: string): string {
  const d = e.data as Record<string, string | number | null | undefined>;
  const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const stage = d.stage ? x.t(`choice.stage.${d.stage}` as MessageKey) : "—";
  const params: Record<string, string> = {
    who: e.who,
    reason: e.reason ?? "",
    title,
    stage,
    action: s(d.nextAction) || "—",
    blocker: d.blocker ? x.t("escalation.fact.blocker", { blocker: s(d.blocker) }) : "",
    from: s(d.from),
    to: s(d.to),
    priority: s(d.priority),
    team: s(d.targetTeam),
    option: s(d.option),
    services: s(d.services),
    escalation: s(d.escalation),
    parent: s(d.parent),
    child: s(d.child),
    outage: s(d.outage),
  };
  const key = `escalation.fact.${e.kind}`;
  // A kind with its own sentence in the catalog reads as it; any other is named as recorded.
  return hasKey(key) ? x.t(key, params) : x.t("escalation.fact.other", { ...params, kind: e.kind });
}
