import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { escalationRef } from "../escalations/model.ts";
import type { MessageKey, Texts } from "../i18n/index.ts";
import { type Outage, outageRef } from "../outages/model.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import type { Block, Reply } from "../reply.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import type { DeskDraft, DeskEscalation, DeskHandover, DeskRepository, Page } from "./desk-repository.ts";
import { OPEN_STATUSES, ref, type Ticket } from "./model.ts";
import { draftRef } from "./one-voice.ts";
import type { TicketRepository } from "./ticket-repository.ts";
import { queueRow } from "./views.ts";

/** How many rows each part of a desk lists; the rest is counted ("and 3 more"). */
export const DESK_LIMIT = 8;

/** Whose desk: a person, and whether the policy makes them a manager (who decides escalations). */
export interface DeskPerson {
  id: string;
  manager: boolean;
}

/**
 * A person's desk (issue 15): what is theirs to do now, read in a few bounded queries. Platform
 * neutral: the Slack App Home shows it, another surface could.
 */
export interface Desk {
  at: DateTime;
  /** Ongoing outages, the team's first concern, with their next update. */
  outages: Page<Outage>;
  /** The open tickets they own, priority then arrival, each with its SLA state. */
  tickets: Page<Ticket>;
  /** Tickets and outages proposed to them (one voice: complete when they accept). */
  handovers: Page<DeskHandover>;
  /** Colleagues' updates on what they own, waiting to be published, edited or rejected. */
  drafts: Page<DeskDraft>;
  /** Questions asked on their tickets' escalations: the owner answers. */
  questions: Page<DeskEscalation>;
  /** Escalations not decided yet: only for managers, who decide (empty for anyone else). */
  decisions: Page<DeskEscalation>;
}

export interface DeskReads {
  tickets: TicketRepository;
  outages: OutageRepository;
  desk: DeskRepository;
  clock: Clock;
}

export async function readDesk(d: DeskReads, person: DeskPerson, limit = DESK_LIMIT): Promise<Desk> {
  const mine = { statuses: OPEN_STATUSES, ownerId: person.id };
  const [outages, outageCount, tickets, ticketCount, handovers, drafts, questions, decisions] = await Promise.all([
    d.outages.ongoing(limit),
    d.desk.ongoingOutages(),
    d.tickets.list({ ...mine, limit }),
    d.tickets.count(mine),
    d.desk.handoversAwaiting(person.id, limit),
    d.desk.draftsAwaiting(person.id, limit),
    d.desk.questionsFor(person.id, limit),
    person.manager ? d.desk.undecided(limit) : Promise.resolve({ items: [], total: 0 }),
  ]);
  return {
    at: d.clock.now(),
    outages: { items: outages, total: outageCount },
    tickets: { items: tickets, total: ticketCount },
    handovers,
    drafts,
    questions,
    decisions,
  };
}

/** The references a desk shows: a change to any of them concerns its person (they must see it go). */
export function deskSubjects(desk: Desk): string[] {
  return [
    ...desk.outages.items.map((o) => outageRef(o.id)),
    ...desk.tickets.items.map((t) => ref(t.id)),
    ...desk.handovers.items.map((h) => h.subject),
    ...desk.drafts.items.map((dr) => draftRef(dr.id)),
    ...[...desk.questions.items, ...desk.decisions.items].map((e) => escalationRef(e.id)),
  ];
}

/**
 * The desk in the person's language: a part per concern, each with its count, its rows (what to
 * type next where there is something to do) and "and N more"; an empty part says so. Times are
 * written as one post's: the zone stated once, the date only when not today.
 */
export function deskReply(x: Texts, desk: Desk, sla: SlaClock): Reply {
  const at = x.moments(desk.at);
  const blocks: Block[] = [{ type: "header", text: x.t("desk.title") }];
  const part = <T>(title: MessageKey, page: Page<T>, row: (item: T) => string, empty: MessageKey) => {
    blocks.push({ type: "title", text: x.t(title, { count: page.total }) });
    if (page.items.length === 0) blocks.push({ type: "context", text: x.t(empty) });
    else blocks.push({ type: "list", items: page.items.map(row) });
    const more = page.total - page.items.length;
    if (more > 0) blocks.push({ type: "context", text: x.t("desk.more", { more }) });
  };
  part(
    "desk.outages",
    desk.outages,
    (o) =>
      x.t("outage.list_row", {
        ref: outageRef(o.id),
        priority: o.priority,
        title: o.title,
        owner: o.ownerName,
        next: at(o.nextUpdateDue),
      }),
    "desk.outages_empty",
  );
  part("desk.tickets", desk.tickets, (t) => queueRow(x, t, sla, desk.at, at), "desk.tickets_empty");
  part(
    "desk.handovers",
    desk.handovers,
    (h) => x.t("desk.handover_row", { ref: h.subject, title: h.title, owner: h.ownerName }),
    "desk.handovers_empty",
  );
  part(
    "desk.drafts",
    desk.drafts,
    (dr) =>
      x.t("desk.draft_row", { ref: draftRef(dr.id), subject: dr.subject, author: dr.authorName, at: at(dr.createdAt) }),
    "desk.drafts_empty",
  );
  const escalations: Page<DeskEscalation & { ask: "answer" | "decide" }> = {
    items: [
      ...desk.questions.items.map((e) => ({ ...e, ask: "answer" as const })),
      ...desk.decisions.items.map((e) => ({ ...e, ask: "decide" as const })),
    ],
    total: desk.questions.total + desk.decisions.total,
  };
  part(
    "desk.escalations",
    escalations,
    (e) =>
      x.t(`desk.escalation_${e.ask}`, {
        ref: escalationRef(e.id),
        ticket: ref(e.ticketId),
        team: e.targetTeam,
        status: x.t(`desk.escalation_status.${e.status}`),
        at: at(e.createdAt),
      }),
    "desk.escalations_empty",
  );
  blocks.push({ type: "context", text: x.t("desk.updated", { at: at(desk.at) }) });
  return { blocks, ephemeral: true };
}
