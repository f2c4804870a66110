import { DateTime } from "luxon";
import type { Texts } from "../i18n/index.ts";
import type { Ticket } from "../tickets/model.ts";
import { ref } from "../tickets/model.ts";
import { SYSTEM_ACTOR, type TimelineEvent } from "../timeline/events.ts";
import { outageRef, type Outage } from "./model.ts";
import type { OutageEventRow } from "./outage-repository.ts";

/** The tickets linked to an outage (and those under them), each with its timeline: the whole story. */
export interface Story {
  tickets: readonly { ticket: Ticket; events: readonly TimelineEvent[] }[];
}

/** A follow-up action of the outage (a ticket with an owner and a due date) and its state now. */
export interface FollowUpLine {
  ticket: Ticket;
  state: "open" | "done" | "overdue";
}

type Role = "owner" | "escalation_author" | "receiver" | "manager" | "new_owner" | "participant";

/** A line of the merged chronology, with what it says about who took part. */
interface Line {
  at: DateTime;
  /** At an equal instant: a ticket's own steps (0), then the outage's (1), then the link to it (2). */
  rank: number;
  text: string;
}

/**
 * The incident report (seed 001: "décrire le déroulement de la résolution, les personnes impliquées
 * et les actions pour éviter le problème"; seed 002 "compte rendu après intervention"), as Markdown,
 * read from the recorded timelines: the outage's, its linked tickets' and their escalations' (whose
 * steps are on the tickets' timelines). People appear by role, never as culprits.
 */
export function incidentReport(
  x: Texts,
  o: Outage,
  timeline: readonly OutageEventRow[],
  story?: Story,
  followUps: readonly FollowUpLine[] = [],
): string {
  const roles = new Map<string, Set<Role>>();
  const role = (name: string, r: Role) => {
    if (!roles.has(name)) roles.set(name, new Set());
    roles.get(name)!.add(r);
  };
  role(o.ownerName, "owner");
  const lines: Line[] = [];
  const stage = (s: unknown) => (s ? x.t(`choice.stage.${String(s)}` as never) : "—");
  // The promise each update answers: the declaration's (or the previous step's) next update.
  let promised: DateTime | undefined;
  for (const e of timeline) {
    const at = x.time(e.at);
    const d = e.data as Record<string, string | null>;
    if (e.actor.id !== SYSTEM_ACTOR.id) role(e.actor.name, "participant");
    const text = (() => {
      switch (e.kind) {
        case "declared":
          return x.t("report.event.declared", { at, who: e.actor.name, priority: String(d.priority) });
        case "updated": {
          if (!promised)
            return x.t("report.event.updated", {
              at,
              who: e.actor.name,
              stage: stage(d.stage),
              action: d.nextAction ?? "—",
              blocker: d.blocker ?? x.t("ticket.none"),
            });
          const late = Math.round(e.at.diff(promised, "minutes").minutes);
          return x.t("report.event.updated_timed", {
            at,
            who: e.actor.name,
            timing: late > 0 ? x.t("report.event.update_late", { minutes: late }) : x.t("report.event.update_on_time"),
            stage: stage(d.stage),
            action: d.nextAction ?? "—",
            blocker: d.blocker ?? x.t("ticket.none"),
          });
        }
        case "no_change":
          return x.t("report.event.no_change", { at });
        case "resolved":
          return x.t("report.event.resolved", { at, who: e.actor.name });
        case "handover_accepted":
        case "reassigned":
          role(String(d.to), "new_owner");
          return x.t("report.event.outage_handover", { at, to: String(d.to) });
        case "room_opened":
          // Plumbing (the incident room opened), not a step of the incident.
          return undefined;
        default:
          return `${at} — ${e.kind} (${e.actor.name})`;
      }
    })();
    if (typeof d.nextUpdateDue === "string") promised = DateTime.fromISO(d.nextUpdateDue);
    if (text !== undefined) lines.push({ at: e.at, rank: 1, text });
  }
  for (const { ticket, events } of story?.tickets ?? []) {
    const tref = ref(ticket.id);
    if (ticket.ownerName) role(ticket.ownerName, "owner");
    for (const e of events) {
      const text = ticketLine(x, tref, e, role);
      if (text) lines.push({ at: e.at, rank: e.kind === "outage_linked" ? 2 : 0, text });
    }
  }
  // By time; at an equal instant, by rank (stable: each record's own order is kept).
  lines.sort((a, b) => a.at.toMillis() - b.at.toMillis() || a.rank - b.rank);

  const start = startOfImpact(x, o, story);
  const end = o.resolvedAt;
  const duration = end ? Math.max(0, Math.round(end.diff(start.at, "minutes").minutes)) : undefined;
  const minutes = o.resolvedAt ? Math.round(o.resolvedAt.diff(o.declaredAt, "minutes").minutes) : undefined;
  const actions = timeline
    .filter((e) => e.kind === "updated")
    .map((e) => `- ${String((e.data as { nextAction?: string }).nextAction ?? "")}`);
  const tickets = (story?.tickets ?? []).map(({ ticket: t }) =>
    x.t("report.ticket_row", {
      ref: ref(t.id),
      title: t.title,
      priority: t.priority,
      status: x.t(`status.${t.status}`),
    }),
  );
  return [
    `# ${x.t("report.title", { ref: outageRef(o.id), title: o.title })}`,
    "",
    x.t("report.summary", {
      services: o.services,
      impact: o.impact,
      priority: o.priority,
      start: x.time(o.declaredAt),
      end: o.resolvedAt ? x.time(o.resolvedAt) : "—",
      duration: minutes === undefined ? "—" : hoursAndMinutes(x, minutes),
    }),
    "",
    x.t("report.start_impact", {
      at: x.time(start.at),
      source: start.source,
      end: end ? x.time(end) : "—",
      duration: duration === undefined ? "—" : hoursAndMinutes(x, duration),
    }),
    "",
    `## ${x.t("report.what_happened")}`,
    o.whatHappened ?? "—",
    "",
    ...(tickets.length ? [`## ${x.t("report.tickets")}`, ...tickets.map((t) => `- ${t}`), ""] : []),
    `## ${x.t("report.timeline")}`,
    ...lines.map((l) => `- ${l.text}`),
    "",
    `## ${x.t("report.people")}`,
    ...[...roles].map(([name, rs]) => `- ${name} (${peopleRoles(x, rs)})`),
    "",
    `## ${x.t("report.actions")}`,
    ...(actions.length ? actions : ["—"]),
    "",
    `## ${x.t("report.result")}`,
    o.result ?? "—",
    "",
    `## ${x.t("report.prevention")}`,
    o.prevention ?? "—",
    "",
    `## ${x.t("report.follow_up")}`,
    ...followUpLines(x, o, followUps),
    "",
  ].join("\n");
}

/**
 * The follow-up section: each action with its ticket, owner, due date (the zone stated once) and
 * state (done once its ticket is resolved or closed), then what was written in the resolve form.
 */
function followUpLines(x: Texts, o: Outage, followUps: readonly FollowUpLine[]): string[] {
  const due = x.moments();
  const rows = followUps.map(({ ticket: t, state }) =>
    x.t("report.follow_up_row", {
      ref: ref(t.id),
      action: t.title,
      owner: t.ownerName ?? "—",
      due: t.dueAt ? due(t.dueAt) : "—",
      state: x.t(`report.follow_up_state.${state}`),
    }),
  );
  const lines = [...rows.map((r) => `- ${r}`), ...(o.followUp ? [o.followUp] : [])];
  return lines.length ? lines : ["—"];
}

/** Roles in a fixed order; "took part" only when nothing more precise is known. */
function peopleRoles(x: Texts, rs: ReadonlySet<Role>): string {
  const order: Role[] = ["owner", "escalation_author", "receiver", "manager", "new_owner"];
  const named = order.filter((r) => rs.has(r));
  const label = (r: Role) => (r === "owner" ? x.t("report.owner") : x.t(`report.role.${r}`));
  return (named.length ? named : ["participant" as const]).map(label).join(", ");
}

/** What a ticket event adds to the story (follow-ups by readers and duplicates of links are left out). */
function ticketLine(
  x: Texts,
  tref: string,
  e: TimelineEvent,
  role: (name: string, r: Role) => void,
): string | undefined {
  const at = x.time(e.at);
  const who = e.actor.name;
  const d = e.data as Record<string, unknown>;
  const s = (k: string) => (d[k] === null || d[k] === undefined ? "—" : String(d[k]));
  switch (e.kind) {
    case "created":
      return x.t("report.event.ticket_created", { at, ref: tref, who, priority: s("priority") });
    case "priority_changed":
      return x.t("report.event.priority_changed", {
        at,
        ref: tref,
        from: s("from"),
        to: s("to"),
        reason: e.reason ?? "—",
      });
    case "linked":
      return x.t("report.event.linked", { at, ref: tref, parent: s("parent") });
    case "outage_linked":
      return x.t("report.event.outage_linked", { at, ref: tref });
    case "escalated":
      role(who, "escalation_author");
      // The step is recorded before the note gets its E-<n> (lifecycle first): the team names it then.
      return d.escalation
        ? x.t("report.event.escalated", { at, ref: tref, escalation: s("escalation"), who })
        : x.t("report.event.escalated_to", { at, ref: tref, team: s("targetTeam"), who });
    case "escalation_acknowledged":
      role(who, "receiver");
      return x.t("report.event.escalation_acknowledged", { at, ref: tref, who });
    case "escalation_follow_up":
      return x.t("report.event.escalation_follow_up", { at, ref: tref });
    case "info_requested":
      return x.t("report.event.info_requested", { at, ref: tref, who });
    case "info_provided":
      return x.t("report.event.info_provided", { at, ref: tref, who });
    case "decided":
      role(who, "manager");
      return x.t("report.event.decided", { at, ref: tref, who, option: s("option") });
    case "decision_announced":
      return x.t("report.event.decision_announced", { at, ref: tref, who });
    case "handover_proposed":
      return x.t("report.event.handover_proposed", { at, ref: tref, to: s("to") });
    case "handover_accepted":
      role(s("to"), "new_owner");
      return x.t("report.event.handover_accepted", { at, ref: tref, to: s("to") });
    case "reassigned":
      role(s("to"), "new_owner");
      return x.t("report.event.reassigned", { at, ref: tref, to: s("to") });
    case "resolved":
      return x.t("report.event.ticket_resolved", { at, ref: tref, who });
    case "confirmed":
      return x.t("report.event.confirmed", { at, ref: tref, who });
    default:
      return undefined;
  }
}

/**
 * The start of impact: the earliest "since" given on a linked ticket that reads as a time ("08:40",
 * "8h40", "8h", or an ISO date-time; a bare time is on the day the ticket was opened, in the
 * report's zone), when earlier than the declaration; else the declaration.
 */
function startOfImpact(x: Texts, o: Outage, story?: Story): { at: DateTime; source: string } {
  let best: { at: DateTime; source: string } = { at: o.declaredAt, source: x.t("report.start_declared") };
  for (const { ticket: t } of story?.tickets ?? []) {
    const at = t.since ? readSince(t.since, t.createdAt.setZone(x.zone)) : undefined;
    if (at && at < best.at) best = { at, source: x.t("report.start_since", { ticket: ref(t.id), since: t.since! }) };
  }
  return best;
}

function readSince(text: string, opened: DateTime): DateTime | undefined {
  const iso = DateTime.fromISO(text.trim(), { zone: opened.zone });
  if (iso.isValid && /\d{4}-\d{2}-\d{2}/.test(text)) return iso <= opened ? iso : undefined;
  const m = /(\d{1,2})\s*(?:h|:)\s*(\d{2})?/i.exec(text);
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  if (hour > 23 || minute > 59) return undefined;
  const at = opened.set({ hour, minute, second: 0, millisecond: 0 });
  return at <= opened ? at : undefined;
}

/** "2 h 55 min": durations in a report read in hours and minutes (PRODUCT "Times people can read"). */
export function hoursAndMinutes(x: Texts, minutes: number): string {
  return x.t("report.duration", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
