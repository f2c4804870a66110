import { DateTime } from "luxon";
import { RelaisError } from "../errors.ts";
import type { Ticket } from "../tickets/model.ts";
import { PRIORITIES, type Priority } from "../tickets/priority.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import type { Target } from "./duration.ts";
import type { SlaClock } from "./sla-clock.ts";

/**
 * The SLA report (issue 17): per priority and per owner, from the tickets' timelines, on each
 * priority's clock (business time for a "business" row, pauses excluded as the policy says).
 * Pure: the tickets and their events come in, numbers come out.
 *
 * Which ticket counts where:
 * - opened: a `created` event in the range; its first response is judged when it was given, or
 *   when its deadline passed before the range's end (a breach still running); otherwise pending.
 * - resolved: a `resolved` event in the range (the last one); its resolution is judged at it.
 * - reopen rate: of the tickets resolved in the range, those reopened (before the range's end).
 * - auto-closes: `closed` events in the range that Relais made on its own.
 * - durations: minutes on the priority's clock from its start (the cut-off applied, counted again
 *   from a priority change, as the service does), minus the paused waits (`waiting` with
 *   `paused: true` until the event that resumed it) and the time spent resolved before a reopen.
 *   The deadline is carried over each pause by the SLA clock itself (`carryOver`), as the service
 *   carries a live ticket's deadline. Median and p90 are nearest-rank.
 */

/** [from, to): local midnight to local midnight, or to now. */
export interface ReportRange {
  from: DateTime;
  to: DateTime;
}

export interface TicketFacts {
  ticket: Ticket;
  /** Its timeline up to the range's end, in order. */
  events: readonly TimelineEvent[];
}

export type Measured = "first_response" | "resolution";

/** One deadline judged: minutes taken on the clock, met or not, and by how much it was missed. */
export interface Judged {
  minutes: number;
  /** Undefined when the target has no deadline (ASAP). */
  met?: boolean;
  lateMinutes: number;
  /** The deadline passed and the step was not done by the range's end. */
  running?: boolean;
}

export interface TicketOutcome {
  id: number;
  priority: Priority;
  owner: string;
  opened: boolean;
  firstResponse?: Judged;
  resolved: boolean;
  resolution?: Judged;
  reopened: boolean;
  autoClosed: boolean;
}

export interface Breach {
  id: number;
  priority: Priority;
  owner: string;
  target: Measured;
  lateMinutes: number;
  running: boolean;
  /** The clock the lateness is counted on. */
  clock: "business" | "24/7";
}

export interface GroupNumbers {
  opened: number;
  resolved: number;
  firstResponse: { judged: number; met: number; pct: number | null; median: number | null; p90: number | null };
  resolution: { judged: number; met: number; pct: number | null; median: number | null; p90: number | null };
  breaches: number;
  reopened: number;
  /** Reopened ÷ resolved, in percent; null with nothing resolved. */
  reopenPct: number | null;
  autoClosed: number;
  /** The clock the group's durations are on ("mixed" when it spans both). */
  clock: "business" | "24/7" | "mixed";
}

export interface SlaReport {
  range: ReportRange;
  priority?: Priority;
  total: GroupNumbers;
  byPriority: { priority: Priority; numbers: GroupNumbers }[];
  byOwner: { owner: string; numbers: GroupNumbers }[];
  breaches: Breach[];
  /** The store held more tickets than a report reads (see SLA_REPORT_LIMIT). */
  truncated: boolean;
}

/** A report reads at most this many tickets (bounded query). */
export const SLA_REPORT_LIMIT = 5_000;

/** The longest range a report covers. */
export const MAX_REPORT_DAYS = 366;

const inRange = (t: DateTime, r: ReportRange) => t >= r.from && t < r.to;

interface Pause {
  from: DateTime;
  to: DateTime;
}

/**
 * The intervals a ticket's clocks stood still: a paused wait until the event that resumed it (an
 * update, a non-pausing wait, a resolution or a closure: TicketService.resume's callers), and the
 * time between a resolution and a reopening. An interval still open ends at `end`.
 */
export function pausesOf(events: readonly TimelineEvent[], end: DateTime): Pause[] {
  const out: Pause[] = [];
  let since: DateTime | undefined;
  let resolvedAt: DateTime | undefined;
  for (const e of events) {
    if (e.kind === "waiting") {
      if (e.data.paused === true) since ??= e.at;
      else if (since) {
        out.push({ from: since, to: e.at });
        since = undefined;
      }
    } else if (since && ["updated", "resolved", "closed", "confirmed"].includes(e.kind)) {
      out.push({ from: since, to: e.at });
      since = undefined;
    }
    if (e.kind === "resolved") resolvedAt = e.at;
    if (e.kind === "reopened" && resolvedAt) {
      out.push({ from: resolvedAt, to: e.at });
      resolvedAt = undefined;
    }
  }
  if (since && since < end) out.push({ from: since, to: end });
  return out;
}

/** The priority in force at `at`, and since when (creation or the last priority change before it). */
function basis(facts: TicketFacts, at: DateTime): { priority: Priority; since: DateTime } {
  let priority = facts.ticket.priority;
  let since = facts.ticket.createdAt;
  for (const e of facts.events) {
    if (e.at > at) break;
    if (e.kind === "created" && typeof e.data.priority === "string") {
      priority = e.data.priority as Priority;
      since = e.at;
    }
    if (e.kind === "priority_changed" && typeof e.data.to === "string") {
      priority = e.data.to as Priority;
      since = e.at;
    }
  }
  return { priority, since };
}

/**
 * Judges one step (first response or resolution) done at `doneAt`, or not done by `end`.
 * Undefined when it is neither done nor overdue by `end` (pending).
 */
function judge(
  sla: SlaClock,
  facts: TicketFacts,
  target: Target,
  doneAt: DateTime | undefined,
  end: DateTime,
  sinceChange: boolean,
): Judged | undefined {
  const at = doneAt ?? end;
  const b = basis(facts, at);
  const start = sla.start(b.priority, sinceChange ? b.since : facts.ticket.createdAt);
  const pauses = pausesOf(facts.events, at).filter((p) => p.to > start && p.from < at);
  let due = target === "ASAP" ? undefined : sla.add(b.priority, start, target);
  for (const p of pauses) if (due) due = sla.carryOver(b.priority, due, DateTime.max(p.from, start), p.to);
  if (!doneAt && (!due || due >= end)) return undefined;
  const paused = pauses.reduce(
    (sum, p) => sum + sla.remaining(b.priority, DateTime.max(p.from, start), DateTime.min(p.to, at)),
    0,
  );
  const minutes = Math.max(0, Math.round(sla.remaining(b.priority, start, at) - paused));
  if (!due) return { minutes, lateMinutes: 0 };
  const met = at <= due;
  return {
    minutes,
    met,
    lateMinutes: met ? 0 : Math.round(sla.remaining(b.priority, due, at)),
    ...(doneAt ? {} : { running: true }),
  };
}

/** What one ticket contributes to a report over `range`, judged at `end` (the range's end or now). */
export function outcomeOf(sla: SlaClock, facts: TicketFacts, range: ReportRange, end: DateTime): TicketOutcome {
  const { ticket, events } = facts;
  const opened = inRange(ticket.createdAt, range);
  const row = sla.row(ticket.priority);
  const resolvedEvents = events.filter((e) => e.kind === "resolved" && inRange(e.at, range));
  const lastResolved = resolvedEvents[resolvedEvents.length - 1];
  const firstResponseAt =
    ticket.firstResponseAt && ticket.firstResponseAt < range.to ? ticket.firstResponseAt : undefined;
  const firstResponse = opened ? judge(sla, facts, row.firstResponse, firstResponseAt, end, true) : undefined;
  const resolution = lastResolved ? judge(sla, facts, row.resolution, lastResolved.at, end, true) : undefined;
  return {
    id: ticket.id,
    priority: ticket.priority,
    owner: ticket.ownerName ?? ticket.ownerId ?? "",
    opened,
    ...(firstResponse ? { firstResponse } : {}),
    resolved: lastResolved !== undefined,
    ...(resolution ? { resolution } : {}),
    reopened:
      lastResolved !== undefined &&
      events.some((e) => e.kind === "reopened" && e.at >= resolvedEvents[0]!.at && e.at < range.to),
    autoClosed: events.some((e) => e.kind === "closed" && e.data.automatic === true && inRange(e.at, range)),
  };
}

/** The value at rank ⌈p·n⌉ of the sorted values (nearest-rank); null for none. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** A share in percent with one decimal (66.7); null when there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

function numbers(sla: SlaClock, outcomes: readonly TicketOutcome[]): GroupNumbers {
  const side = (pick: (o: TicketOutcome) => Judged | undefined) => {
    const judged = outcomes.map(pick).filter((j): j is Judged => j !== undefined);
    const withTarget = judged.filter((j) => j.met !== undefined);
    const met = withTarget.filter((j) => j.met).length;
    const done = judged.filter((j) => !j.running).map((j) => j.minutes);
    return {
      judged: withTarget.length,
      met,
      pct: percent(met, withTarget.length),
      median: nearestRank(done, 0.5),
      p90: nearestRank(done, 0.9),
    };
  };
  const resolved = outcomes.filter((o) => o.resolved).length;
  const reopened = outcomes.filter((o) => o.reopened).length;
  const clocks = new Set(outcomes.map((o) => sla.row(o.priority).clock));
  return {
    opened: outcomes.filter((o) => o.opened).length,
    resolved,
    firstResponse: side((o) => o.firstResponse),
    resolution: side((o) => o.resolution),
    breaches: outcomes.reduce(
      (n, o) => n + (o.firstResponse?.met === false ? 1 : 0) + (o.resolution?.met === false ? 1 : 0),
      0,
    ),
    reopened,
    reopenPct: percent(reopened, resolved),
    autoClosed: outcomes.filter((o) => o.autoClosed).length,
    clock: clocks.size === 1 ? [...clocks][0]! : clocks.size === 0 ? "business" : "mixed",
  };
}

/** The report over `range` of the tickets given (already read for that range), judged at `now`. */
export function buildReport(
  sla: SlaClock,
  tickets: readonly TicketFacts[],
  range: ReportRange,
  now: DateTime,
  opts: { priority?: Priority; truncated?: boolean } = {},
): SlaReport {
  const end = DateTime.min(now, range.to);
  const outcomes = tickets
    .filter((f) => !opts.priority || f.ticket.priority === opts.priority)
    .map((f) => outcomeOf(sla, f, range, end))
    .filter((o) => o.opened || o.resolved || o.autoClosed);
  const owners = [...new Set(outcomes.map((o) => o.owner))].sort((a, b) => a.localeCompare(b));
  const breaches: Breach[] = [];
  for (const o of outcomes) {
    for (const [target, j] of [
      ["first_response", o.firstResponse],
      ["resolution", o.resolution],
    ] as const) {
      if (j?.met === false)
        breaches.push({
          id: o.id,
          priority: o.priority,
          owner: o.owner,
          target,
          lateMinutes: j.lateMinutes,
          running: j.running === true,
          clock: sla.row(o.priority).clock,
        });
    }
  }
  return {
    range,
    ...(opts.priority ? { priority: opts.priority } : {}),
    total: numbers(sla, outcomes),
    byPriority: PRIORITIES.filter((p) => !opts.priority || p === opts.priority).map((priority) => ({
      priority,
      numbers: numbers(
        sla,
        outcomes.filter((o) => o.priority === priority),
      ),
    })),
    byOwner: owners.map((owner) => ({
      owner,
      numbers: numbers(
        sla,
        outcomes.filter((o) => o.owner === owner),
      ),
    })),
    breaches: breaches.sort((a, b) => b.lateMinutes - a.lateMinutes || a.id - b.id),
    truncated: opts.truncated === true,
  };
}

/** What `/sla report …` asks for: a range (week, month, or explicit days) and perhaps a priority. */
export interface ReportRequest {
  range: ReportRange;
  kind: "week" | "month" | "days";
  priority?: Priority;
}

const DAYS = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/**
 * Reads `[week|semaine|month|mois|YYYY-MM-DD..YYYY-MM-DD] [P1|P2|P3]` in the policy's zone: `week`
 * is the current week from Monday 00:00 to now, `month` the current month to now, explicit days
 * are whole local days, the last one included. Refuses a reversed range, one over a year, an
 * unknown priority and anything else, with the word at fault.
 */
export function parseReportRequest(text: string | undefined, now: DateTime, zone: string): ReportRequest {
  const words = (text ?? "").trim().split(/\s+/).filter(Boolean);
  let kind: ReportRequest["kind"] | undefined;
  let range: ReportRange | undefined;
  let priority: Priority | undefined;
  const local = now.setZone(zone);
  for (const word of words) {
    const w = word.toLowerCase();
    if (/^p\d+$/.test(w)) {
      const p = w.toUpperCase();
      if (!(PRIORITIES as readonly string[]).includes(p))
        throw new RelaisError("report_priority_unknown", { value: word, priorities: PRIORITIES.join(", ") });
      if (priority) throw new RelaisError("report_priority_twice", { first: priority, second: p });
      priority = p as Priority;
      continue;
    }
    if (kind) throw new RelaisError("report_range_invalid", { value: word });
    if (w === "week" || w === "semaine") {
      kind = "week";
      range = { from: local.startOf("week"), to: now };
    } else if (w === "month" || w === "mois") {
      kind = "month";
      range = { from: local.startOf("month"), to: now };
    } else {
      const m = DAYS.exec(w);
      const from = m ? dayStart(m[1]!, zone) : undefined;
      const last = m ? dayStart(m[2]!, zone) : undefined;
      if (!from || !last) throw new RelaisError("report_range_invalid", { value: word });
      if (last < from) throw new RelaisError("report_range_reversed", { from: m![1]!, to: m![2]! });
      const to = last.plus({ days: 1 });
      if (to.diff(from, "days").days > MAX_REPORT_DAYS)
        throw new RelaisError("report_range_too_long", { from: m![1]!, to: m![2]!, days: MAX_REPORT_DAYS });
      kind = "days";
      range = { from, to };
    }
  }
  return {
    kind: kind ?? "week",
    range: range ?? { from: local.startOf("week"), to: now },
    ...(priority ? { priority } : {}),
  };
}

function dayStart(iso: string, zone: string): DateTime | undefined {
  const d = DateTime.fromISO(iso, { zone });
  return d.isValid ? d.startOf("day") : undefined;
}
