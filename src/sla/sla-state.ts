import type { DateTime } from "luxon";
import { isOpen, type Ticket } from "../tickets/model.ts";
import type { SlaClock } from "./sla-clock.ts";

/** Where a ticket stands against its SLA right now, for the queue and the summary. */
export type SlaState = "ok" | "at_risk" | "breached" | "paused" | "done";
export type SlaTarget = "first_response" | "next_update" | "resolution";

export interface SlaStanding {
  state: SlaState;
  /** The deadline that matters most now (the earliest one still to meet). */
  target?: SlaTarget;
  due?: DateTime;
  warnAt?: DateTime;
}

/** What a ticket's SLA standing is read from: its status, clocks and deadlines. */
export type SlaSubject = Pick<
  Ticket,
  | "priority"
  | "status"
  | "pausedAt"
  | "clockStart"
  | "firstResponseAt"
  | "firstResponseDue"
  | "nextUpdateDue"
  | "resolutionDue"
>;

/** The deadlines still to meet, earliest first. */
export function pendingDeadlines(t: SlaSubject): { target: SlaTarget; due: DateTime }[] {
  const list: { target: SlaTarget; due: DateTime }[] = [];
  if (!t.firstResponseAt) list.push({ target: "first_response", due: t.firstResponseDue });
  else if (t.nextUpdateDue) list.push({ target: "next_update", due: t.nextUpdateDue });
  if (t.resolutionDue) list.push({ target: "resolution", due: t.resolutionDue });
  return list.sort((a, b) => a.due.toMillis() - b.due.toMillis());
}

export function slaStanding(t: SlaSubject, sla: Pick<SlaClock, "warnAt">, now: DateTime): SlaStanding {
  if (!isOpen(t)) return { state: "done" };
  if (t.pausedAt) return { state: "paused" };
  const pending = pendingDeadlines(t);
  if (pending.length === 0) return { state: "ok" };
  // A breached deadline outranks an earlier-due one that is merely at risk.
  const breached = pending.find((p) => now >= p.due);
  if (breached) return { state: "breached", ...breached };
  const first = pending[0]!;
  const warnAt = sla.warnAt(t.priority, first.due, t.clockStart);
  return { state: now >= warnAt ? "at_risk" : "ok", ...first, warnAt };
}

/** The warnings to send before each pending deadline (fired by the scheduler once it exists). */
export function breachWarnings(t: Ticket, sla: SlaClock): { target: SlaTarget; due: DateTime; warnAt: DateTime }[] {
  if (!isOpen(t) || t.pausedAt) return [];
  return pendingDeadlines(t).map((p) => ({ ...p, warnAt: sla.warnAt(t.priority, p.due, t.clockStart) }));
}
