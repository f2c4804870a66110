import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { isManager, type Policy } from "../config/policy.ts";
import { RelaisError } from "../errors.ts";
import { authorize, authorizeAct, overrideData, type AuthorityAction, type Outcome } from "../authority.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import { addDuration, subtractDuration } from "../sla/duration.ts";
import type { TicketPatch, TicketRepository } from "./ticket-repository.ts";
import { retryOnStale } from "../retry.ts";
import { LONG_MAX, optionalText, requiredText, title as cleanTitle } from "../text.ts";
import { SYSTEM_ACTOR, type Actor, type NewEvent } from "../timeline/events.ts";
import { transition, type Action } from "./lifecycle.ts";
import {
  OPEN_STATUSES,
  isOpen,
  ref,
  type Diagnostic,
  type Identification,
  type ResolutionKind,
  type Stage,
  type Ticket,
  type WaitingOn,
} from "./model.ts";
import { repeats } from "./repetition.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import { outageRef, type Outage } from "../outages/model.ts";
import { objectiveCriterion, priorityOf, type Assessment, type Criterion, type Priority } from "./priority.ts";

export interface CreateInput extends Identification, Diagnostic {
  title: string;
  assessment?: Assessment;
  workaroundText?: string;
}

/**
 * What a ticket opened on someone else's behalf carries (an outage's follow-up action): its owner,
 * a priority set by policy rather than assessed, the outage it follows up and its due date.
 */
export interface CreateOptions {
  owner?: Actor;
  priority?: Priority;
  followUpOf?: number;
  dueAt?: DateTime;
}

export interface UpdateInput {
  stage: Stage;
  nextAction: string;
  blocker?: string;
  lastAction?: string;
  /** The promised time of the next update; the priority's cadence when absent. */
  nextUpdate?: DateTime;
}

export interface ResolveInput {
  kind: ResolutionKind;
  note?: string;
  alternative?: string;
}

export type ListFilter = "open" | "mine" | "all" | Priority;

/** How many tickets past a queue page's start are counted before the count says "1000+". */
export const COUNT_AHEAD = 1000;

/** Where a ticket's status comes from when it is not its own: its outage or its parent ticket. */
export interface Via {
  /** "INC-3" or "T-42". */
  ref: string;
  /** The time of the last fact there (the outage's last update, the parent's last event). */
  at: DateTime;
}

/** A ticket as people follow it: its own fields, or its outage's / parent's status over them. */
export type TicketStatus = Ticket & { via?: Via };

/** A follow-up answer: the status, and whether nothing happened since the same person's last one today. */
export interface FollowUp {
  ticket: TicketStatus;
  /** Seed 002 "Relance 2 (même journée)": same person, same day, no new fact since their last follow-up. */
  unchanged: boolean;
}

export interface TicketServiceDeps {
  tickets: TicketRepository;
  sla: SlaClock;
  clock: Clock;
  policy: Policy;
  /** Where a linked outage's status is read (one state for linked records). */
  outages?: Pick<OutageRepository, "get">;
  /** A published status update of a ticket: its children's requesters hear of it (Followers). */
  onUpdated?: (ticket: Ticket) => Promise<void>;
  /** Called after every stored change (the timers: SLA warnings, auto-close); `created` by its creation. */
  onChange?: (ticket: Ticket, created?: boolean) => Promise<void>;
  /** What the requester hears privately when they can be reached (requester.ts). */
  requester?: { acknowledged(t: Ticket): Promise<void>; resolved(t: Ticket): Promise<void> };
}

/**
 * Every ticket operation: rules 1, 2, 4, 5, 11 and 12 of PRODUCT.md. Each one checks its input and
 * the lifecycle first, then writes the ticket and its timeline event together, so a refused command
 * changes nothing.
 */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  async create(actor: Actor, input: CreateInput, opts: CreateOptions = {}): Promise<Ticket> {
    const now = this.deps.clock.now();
    const title = cleanTitle(input.title);
    const a = input.assessment;
    const priority = a ? priorityOf(a) : (opts.priority ?? this.deps.policy.defaultPriority);
    const owner = opts.owner ?? actor;
    const d = this.deps.sla.deadlines(priority, now);
    // Assigned to a named owner on the team's behalf (a follow-up action): the assignment is the
    // first response; the owner has the ticket, its resolution clock runs on the policy's grid.
    const assigned = opts.owner !== undefined;
    const ticket = {
      title,
      status: assigned ? ("acknowledged" as const) : ("new" as const),
      priority,
      priorityReason: a
        ? `impact=${a.impact} urgency=${a.urgency} workaround=${a.workaround}`
        : opts.followUpOf !== undefined
          ? "follow_up"
          : "default",
      ...(a ?? {}),
      workaroundText: optionalText("workaroundText", input.workaroundText, LONG_MAX, true),
      requester: optionalText("requester", input.requester),
      requesterId: optionalText("requesterId", input.requesterId),
      department: optionalText("department", input.department),
      workstation: optionalText("workstation", input.workstation),
      profile: input.profile,
      since: optionalText("since", input.since),
      changed: optionalText("changed", input.changed, LONG_MAX, true),
      reproducible: optionalText("reproducible", input.reproducible),
      scope: optionalText("scope", input.scope),
      errorMessage: optionalText("errorMessage", input.errorMessage, LONG_MAX, true),
      createdBy: actor.id,
      ownerId: owner.id,
      ownerName: owner.name,
      followUpOf: opts.followUpOf,
      dueAt: opts.dueAt,
      createdAt: now,
      clockStart: d.clockStart,
      firstResponseDue: d.firstResponseDue,
      firstResponseAt: assigned ? now : undefined,
      resolutionDue: d.resolutionDue ?? undefined,
      updatedAt: now,
    };
    const created = await this.deps.tickets.create(stripUndefined(ticket), {
      at: now,
      actor,
      kind: "created",
      data: {
        priority,
        assessment: a ?? null,
        ...(opts.owner ? { owner: owner.name } : {}),
        ...(opts.followUpOf !== undefined ? { followUpOf: outageRef(opts.followUpOf) } : {}),
        ...(opts.dueAt ? { dueAt: opts.dueAt.toISO() } : {}),
      },
    });
    await this.deps.onChange?.(created, true);
    await this.deps.requester?.acknowledged(created);
    return created;
  }

  /**
   * Repetition is a trigger (rule 13, seed 003 §7): the earlier tickets of the same requester or
   * department on the same problem within the policy's window; flagged on the timeline when the
   * count is reached. Returns them (empty when below the threshold).
   */
  async repetitionOf(t: Ticket): Promise<Ticket[]> {
    const { count, window } = this.deps.policy.repetition;
    if (!t.requester && !t.department) return [];
    // Business days on the calendar ("7bd"); hours and minutes are elapsed time.
    const from = subtractDuration(t.createdAt, window, { calendar: this.deps.sla.calendar });
    const candidates = await this.deps.tickets.sameSource({
      since: from,
      ...(t.requester ? { requester: t.requester } : {}),
      ...(t.department ? { department: t.department } : {}),
      excludeId: t.id,
      limit: 50,
    });
    const same = repeats(t, candidates);
    if (same.length + 1 < count) return [];
    await this.record(SYSTEM_ACTOR, t.id, {
      kind: "repetition_flagged",
      data: { tickets: same.map((x) => ref(x.id)) },
    });
    return same;
  }

  async get(ticketRef: number): Promise<Ticket> {
    const t = await this.deps.tickets.get(ticketRef);
    if (!t) throw new RelaisError("ticket_not_found", { ref: ref(ticketRef) });
    return t;
  }

  /**
   * The queue: priority, then arrival, as seed 002's "premier arrivé / premier traité"; page
   * `page` of `limit` rows. The count is exact up to COUNT_AHEAD tickets past the page's start and
   * says `exact: false` beyond (`total` is then a floor): a count reads every index entry it
   * counts, and a person reading the queue acts on its first page, not on the 100,000th ticket.
   */
  async list(
    actor: Actor,
    filter: ListFilter,
    limit = 50,
    page = 1,
  ): Promise<{ tickets: Ticket[]; total: number; exact: boolean }> {
    const query = {
      statuses:
        filter === "all" ? (["new", "acknowledged", "in_progress", "waiting", "resolved"] as const) : OPEN_STATUSES,
      ...(filter === "mine" ? { ownerId: actor.id } : {}),
      ...(filter === "P1" || filter === "P2" || filter === "P3" ? { priority: filter } : {}),
    };
    const offset = (page - 1) * limit;
    const atMost = offset + limit + COUNT_AHEAD;
    const [tickets, counted] = await Promise.all([
      this.deps.tickets.list({ ...query, limit, offset }),
      this.deps.tickets.count(query, atMost + 1),
    ]);
    return { tickets, total: Math.min(counted, atMost), exact: counted <= atMost };
  }

  /** Every ticket not closed, `batch` at a time in id order (the timers' resync at start-up). */
  async *live(batch = 500): AsyncGenerator<Ticket[]> {
    let after = 0;
    for (;;) {
      const tickets = await this.deps.tickets.liveAfter(after, batch);
      if (tickets.length === 0) return;
      yield tickets;
      after = tickets[tickets.length - 1]!.id;
    }
  }

  /**
   * Take ownership (rule 6). The first take is the first response ("accusé + prise en charge").
   * Only the owner (a new ticket) or, while it is unowned, a technician: someone else's take is a
   * handover request (OneVoice.take), never a move.
   */
  async take(actor: Actor, id: number): Promise<Ticket> {
    return this.change(id, "take", (t, now) => {
      if (t.ownerId === actor.id && t.status !== "new") throw new RelaisError("already_owner", { ref: ref(id) });
      this.allow(actor, t, t.ownerId ? "take_owned" : "take_unowned", undefined, "act");
      return {
        patch: {
          ownerId: actor.id,
          ownerName: actor.name,
          ...(t.status === "new" ? { status: "acknowledged" } : {}),
          ...this.firstResponse(t, now),
        },
        event: { actor, kind: "taken", data: { previousOwner: t.ownerName ?? null } },
      };
    });
  }

  /** A status update (rule 4): stage, blocker, next action, and the time of the next update. */
  async update(actor: Actor, id: number, input: UpdateInput): Promise<Ticket> {
    const updated = await this.change(id, "update", (t, now) => {
      const nextAction = requiredText("nextAction", input.nextAction, LONG_MAX, true);
      const blocker = optionalText("blocker", input.blocker, LONG_MAX, true);
      const lastAction = optionalText("lastAction", input.lastAction, LONG_MAX, true);
      if (input.nextUpdate && input.nextUpdate <= now) {
        throw new RelaisError("time_in_past", { time: input.nextUpdate.toISO()! });
      }
      const resumed = this.resume(t, now);
      const nextUpdateDue = input.nextUpdate ?? this.deps.sla.nextUpdateDue(t.priority, now);
      return {
        patch: {
          ...resumed,
          status: "in_progress",
          stage: input.stage,
          nextAction,
          blocker: blocker ?? null,
          ...(lastAction ? { lastAction } : {}),
          nextUpdateDue,
          ...this.firstResponse(t, now),
        },
        event: {
          actor,
          kind: "updated",
          data: {
            stage: input.stage,
            blocker: blocker ?? null,
            nextAction,
            lastAction: lastAction ?? null,
            nextUpdateDue: nextUpdateDue.toISO(),
          },
        },
      };
    });
    await this.deps.onUpdated?.(updated);
    return updated;
  }

  /**
   * A reasoned priority change (rule 2): the reason must name an objective criterion. Deadlines
   * not yet met are counted again from now: the criterion changed now, not at arrival.
   */
  /**
   * What a priority change would refuse (lifecycle, authority, same priority, no objective reason),
   * checked when its form is submitted too, beside the field at fault.
   */
  async checkPriorityChange(actor: Actor, id: number, priority: Priority, reasonText: string | undefined) {
    const t = await this.get(id);
    transition("priority", t.status, ref(id));
    const reason = optionalText("reason", reasonText, LONG_MAX);
    const allowed = this.allow(actor, t, "priority", reason);
    if (priority === t.priority) throw new RelaisError("same_priority", { ref: ref(id), priority, field: "priority" });
    if (!reason)
      throw new RelaisError("priority_reason_required", {
        ref: ref(id),
        from: t.priority,
        to: priority,
        field: "reason",
      });
    return { t, reason, allowed, criterion: objectiveCriterion(reason) };
  }

  async changePriority(
    actor: Actor,
    id: number,
    priority: Priority,
    reasonText: string | undefined,
  ): Promise<{ ticket: Ticket; criterion: Criterion }> {
    return retryOnStale(async () => {
      const { t, reason, allowed, criterion } = await this.checkPriorityChange(actor, id, priority, reasonText);
      const now = this.deps.clock.now();
      const d = this.deps.sla.deadlines(priority, now);
      const ticket = await this.write(t, {
        patch: {
          priority,
          priorityReason: reason,
          ...(t.firstResponseAt ? {} : { firstResponseDue: d.firstResponseDue }),
          resolutionDue: d.resolutionDue,
          ...(t.nextUpdateDue ? { nextUpdateDue: this.deps.sla.nextUpdateDue(priority, now) } : {}),
        },
        event: {
          actor,
          kind: "priority_changed",
          reason,
          data: { from: t.priority, to: priority, criterion, ...overrideData(allowed, t.ownerName) },
        },
        now,
      });
      return { ticket, criterion };
    });
  }

  /** Waiting on the requester, a third party or a validation; pauses the clocks where policy says. */
  async wait(actor: Actor, id: number, on: WaitingOn, whatText: string | undefined): Promise<Ticket> {
    return this.change(
      id,
      "wait",
      (t, now) => {
        const what = requiredText("waitingFor", whatText, LONG_MAX);
        const pauses = this.deps.policy.pauseWhileWaiting.includes(on);
        // Switching from a pausing wait to a non-pausing one resumes the clocks first.
        const resumed = t.pausedAt && !pauses ? this.resume(t, now) : {};
        return {
          patch: {
            ...resumed,
            status: "waiting",
            waitingOn: on,
            waitingFor: what,
            ...(pauses ? { pausedAt: t.pausedAt ?? now } : {}),
            blocker: what,
          },
          event: { actor, kind: "waiting", reason: what, data: { on, paused: pauses } },
        };
      },
      { actor, act: "wait", reason: whatText },
    );
  }

  async resolve(actor: Actor, id: number, input: ResolveInput): Promise<Ticket> {
    const resolved = await this.change(
      id,
      "resolve",
      (t, now) => {
        const note = optionalText("note", input.note, LONG_MAX, true);
        const alternative = optionalText("alternative", input.alternative, LONG_MAX, true);
        if (input.kind === "wont_do" && !alternative) throw new RelaisError("alternative_required", { ref: ref(id) });
        const after = this.deps.policy.autoCloseAfter;
        // The 72 h of seed 000 are calendar hours (elapsed time); "bd" would count business days.
        const autoCloseAt = addDuration(now, after, { calendar: this.deps.sla.calendar });
        return {
          patch: {
            status: "resolved",
            resolvedAt: now,
            resolutionKind: input.kind,
            resolutionNote: note ?? null,
            alternative: alternative ?? null,
            autoCloseAt,
            pausedAt: null,
            waitingOn: null,
            waitingFor: null,
            blocker: null,
            nextUpdateDue: null,
            ...this.firstResponse(t, now),
          },
          event: {
            actor,
            kind: "resolved",
            reason: note,
            data: { kind: input.kind, alternative: alternative ?? null, autoCloseAt: autoCloseAt.toISO() },
          },
        };
      },
      { actor, act: "resolve", reason: input.note },
    );
    await this.deps.requester?.resolved(resolved);
    return resolved;
  }

  /**
   * The requester confirms the resolution (seed 000 §II.A ⑤): the ticket closes. Only the requester,
   * the owner (for a caller who answered on the phone) or a manager may (PRODUCT "Authority"); who
   * confirmed, and as what, goes on the timeline.
   */
  async confirm(actor: Actor, id: number): Promise<Ticket> {
    return this.change(id, "confirm", (t, now) => {
      const d = this.allow(actor, t, "confirm");
      return {
        patch: { status: "closed", closedAt: now, autoCloseAt: null },
        event: { actor, kind: "confirmed", data: { as: d.result === "allowed" ? d.as : null } },
      };
    });
  }

  async close(actor: Actor, id: number, noteText?: string): Promise<Ticket> {
    return this.change(
      id,
      "close",
      (_t, now) => {
        const note = optionalText("note", noteText, LONG_MAX, true);
        return {
          patch: { status: "closed", closedAt: now, autoCloseAt: null },
          event: { actor, kind: "closed", reason: note, data: { confirmed: false } },
        };
      },
      { actor, act: "close", reason: noteText },
    );
  }

  async reopen(actor: Actor, id: number, reasonText?: string): Promise<Ticket> {
    return this.change(
      id,
      "reopen",
      (t, now) => {
        const reason = optionalText("reason", reasonText, LONG_MAX, true);
        return {
          patch: {
            status: "in_progress",
            resolvedAt: null,
            resolutionKind: null,
            resolutionNote: null,
            alternative: null,
            autoCloseAt: null,
            closedAt: null,
            nextUpdateDue: this.deps.sla.nextUpdateDue(t.priority, now),
          },
          event: { actor, kind: "reopened", reason, data: { from: t.status } },
        };
      },
      { actor, act: "reopen", reason: reasonText },
    );
  }

  /**
   * Closes a resolved ticket the requester never confirmed, once its auto-close time has come
   * (seed 000 §II.A ⑤: "clôture automatique 72h"). False when it no longer applies.
   */
  async autoClose(id: number, system: Actor): Promise<Ticket | undefined> {
    return retryOnStale(async () => {
      const t = await this.deps.tickets.get(id);
      const now = this.deps.clock.now();
      if (t?.status !== "resolved" || !t.autoCloseAt || t.autoCloseAt > now) return undefined;
      return this.write(t, {
        patch: { status: "closed", closedAt: now, autoCloseAt: null },
        event: { actor: system, kind: "closed", reason: "auto-close", data: { confirmed: false, automatic: true } },
        now,
      });
    });
  }

  /** Records a proposed owner; the current one stays answerable until acceptance (rule 6). */
  async proposeOwner(actor: Actor, id: number, target: Actor): Promise<Ticket> {
    return this.change(id, "take", (t) => ({
      patch: { pendingOwnerId: target.id, pendingOwnerName: target.name },
      event: {
        actor,
        kind: "handover_proposed",
        data: { to: target.name, toId: target.id, answerable: t.ownerName ?? null },
      },
    }));
  }

  /** Makes `owner` the owner (accepted handover, or a manager's reassignment with its reason). */
  async setOwner(
    actor: Actor,
    id: number,
    owner: Actor,
    event: { kind: "handover_accepted" | "reassigned"; reason?: string },
  ): Promise<Ticket> {
    return this.change(id, "take", (t, now) => ({
      patch: {
        ownerId: owner.id,
        ownerName: owner.name,
        pendingOwnerId: null,
        pendingOwnerName: null,
        ...(t.status === "new" ? { status: "acknowledged" } : {}),
        ...this.firstResponse(t, now),
      },
      event: {
        actor,
        kind: event.kind,
        ...(event.reason ? { reason: event.reason } : {}),
        data: { from: t.ownerName ?? null, to: owner.name },
      },
    }));
  }

  /** Refuses, before a form opens, what the lifecycle would refuse once it is filled in. */
  async check(id: number, action: Action): Promise<Ticket> {
    const t = await this.get(id);
    transition(action, t.status, ref(id));
    return t;
  }

  /** Appends an event to a ticket's timeline (escalation steps), checked against the lifecycle. */
  async record(
    actor: Actor,
    id: number,
    event: { kind: NewEvent["kind"]; reason?: string; data?: Record<string, unknown>; action?: "escalate" },
  ): Promise<Ticket> {
    return retryOnStale(async () => {
      const t = await this.get(id);
      if (event.action) transition(event.action, t.status, ref(id));
      const now = this.deps.clock.now();
      return this.write(t, {
        patch: {},
        event: { actor, kind: event.kind, ...(event.reason ? { reason: event.reason } : {}), data: event.data ?? {} },
        now,
      });
    });
  }

  /**
   * Hangs `childId` under `parentId` (tickets about the same problem, PRODUCT.md "One story"). The
   * child's owner (or anyone while it is unowned) or a manager may link. Refused, with nothing
   * changed: itself, an unknown or closed ticket on either side, a cycle, the same link twice.
   */
  async link(actor: Actor, childId: number, parentId: number): Promise<{ child: Ticket; parent: Ticket }> {
    if (childId === parentId) throw new RelaisError("link_self", { ref: ref(childId) });
    const child = await this.get(childId);
    const parent = await this.get(parentId);
    for (const t of [child, parent])
      if (t.status === "closed") throw new RelaisError("link_closed", { ref: ref(t.id) });
    this.allow(actor, child, "link");
    if (child.parentId === parentId)
      throw new RelaisError("already_linked", { ref: ref(childId), parent: ref(parentId) });
    // A cycle: the parent already hangs (directly or not) under the child.
    const seen = new Set<number>([parentId]);
    for (let up = parent.parentId; up !== undefined; ) {
      if (up === childId) throw new RelaisError("link_cycle", { ref: ref(childId), parent: ref(parentId) });
      if (seen.has(up)) break;
      seen.add(up);
      up = (await this.deps.tickets.get(up))?.parentId;
    }
    // Two writes, each with its event: the link is read from the child (parentId); the parent's
    // timeline only tells the story, so a crash between them loses no state.
    const linked = await retryOnStale(async () => {
      const t = await this.get(childId);
      return this.write(t, {
        patch: { parentId },
        event: {
          actor,
          kind: "linked",
          data: { parent: ref(parentId), previous: t.parentId ? ref(t.parentId) : null },
        },
        now: this.deps.clock.now(),
      });
    });
    const p = await this.record(actor, parentId, { kind: "child_linked", data: { child: ref(childId) } });
    return { child: linked, parent: p };
  }

  /** Refuses, before the outage form opens, a declaration from an unknown or closed ticket, or by someone else. */
  async checkDeclarable(actor: Actor, id: number): Promise<Ticket> {
    const t = await this.get(id);
    if (t.status === "closed") throw new RelaisError("link_closed", { ref: ref(id) });
    this.allow(actor, t, "declare_from_ticket");
    return t;
  }

  /**
   * The outage declared from ticket `id` is linked to it; its announcement is the first response of
   * the ticket and of the open tickets under it (seed 001: the announcement is the answer people get).
   */
  async linkOutage(actor: Actor, id: number, o: Pick<Outage, "id" | "declaredAt">): Promise<Ticket> {
    // Answered by the announcement: the first response is met and the ticket is no longer "new"
    // (as a take would); a ticket already further along keeps its status.
    const answered = (t: Ticket): TicketPatch => ({
      ...(t.firstResponseAt ? {} : { firstResponseAt: o.declaredAt }),
      ...(t.status === "new" ? { status: "acknowledged" as const } : {}),
    });
    const linked = await retryOnStale(async () => {
      const t = await this.get(id);
      return this.write(t, {
        patch: { outageId: o.id, ...answered(t) },
        event: { actor, kind: "outage_linked", data: { outage: outageRef(o.id) } },
        now: this.deps.clock.now(),
      });
    });
    for (const c of await this.deps.tickets.linked({ parentId: id })) {
      if (!isOpen(c) || (c.firstResponseAt && c.status !== "new")) continue;
      await retryOnStale(async () => {
        const t = await this.get(c.id);
        if (t.firstResponseAt && t.status !== "new") return t;
        return this.write(t, {
          patch: answered(t),
          event: { actor, kind: "outage_linked", data: { outage: outageRef(o.id), via: ref(id) } },
          now: this.deps.clock.now(),
        });
      });
    }
    return linked;
  }

  /**
   * One state for linked records: an open ticket linked to an ongoing outage shows the outage's
   * stage, blocker, next action and next update; one under an open parent shows the parent's.
   */
  async status(t: Ticket, depth = 0): Promise<TicketStatus> {
    if (!isOpen(t) || depth > 10) return t;
    const o = t.outageId !== undefined ? await this.deps.outages?.get(t.outageId) : undefined;
    if (o?.status === "ongoing") {
      return {
        ...t,
        ...(o.stage ? { stage: o.stage } : {}),
        ...(o.nextAction ? { nextAction: o.nextAction } : {}),
        blocker: o.blocker,
        nextUpdateDue: o.nextUpdateDue,
        via: { ref: outageRef(o.id), at: o.lastUpdateAt },
      };
    }
    const parent = t.parentId !== undefined ? await this.deps.tickets.get(t.parentId) : undefined;
    if (!parent || !isOpen(parent)) return t;
    const p = await this.status(parent, depth + 1);
    const facts = (await this.deps.tickets.timeline(parent.id)).filter((e) => e.kind !== "followed_up");
    const at = [p.via?.at, facts.at(-1)?.at].filter((d): d is DateTime => d !== undefined).sort((a, b) => +b - +a)[0];
    return {
      ...t,
      stage: p.stage,
      nextAction: p.nextAction,
      blocker: p.blocker,
      lastAction: p.lastAction ?? t.lastAction,
      nextUpdateDue: p.nextUpdateDue,
      via: { ref: p.via?.ref ?? ref(parent.id), at: at ?? parent.updatedAt },
    };
  }

  /**
   * A follow-up (`/ticket show`, `@Relais T-12`): recorded on the timeline as `followed_up` (open
   * tickets only), so that a second one by the same person the same day with no new fact in
   * between — no other event on the ticket, no newer update of its outage or parent — is answered
   * "status unchanged" with the same stage and time (seed 002, "Relance 2 (même journée)"). A fact at
   * the very instant of the last follow-up counts as new: when in doubt, the full answer.
   */
  async followUp(actor: Actor, id: number): Promise<FollowUp> {
    const t = await this.get(id);
    const s = await this.status(t);
    if (!isOpen(t)) return { ticket: s, unchanged: false };
    const events = await this.deps.tickets.timeline(id);
    const last = events.at(-1);
    const now = this.deps.clock.now();
    const zone = this.deps.policy.timezone;
    const unchanged =
      last?.kind === "followed_up" &&
      last.actor.id === actor.id &&
      last.at.setZone(zone).hasSame(now.setZone(zone), "day") &&
      (!s.via || s.via.at < last.at);
    const written = await this.record(actor, id, { kind: "followed_up", data: { unchanged } });
    return { ticket: { ...s, version: written.version, updatedAt: written.updatedAt }, unchanged };
  }

  /**
   * PRODUCT.md "Authority" on this ticket (src/authority.ts): the outcome for `actor` — allowed (as
   * which role), a draft or a handover request — or the refusal naming who may. `reason` is what the
   * action carries (a manager's override needs one).
   */
  allow(actor: Actor, t: Ticket, action: AuthorityAction, reason?: string, only?: "act"): Outcome {
    return (only ? authorizeAct : authorize)(
      action,
      {
        actorId: actor.id,
        manager: isManager(this.deps.policy, actor),
        ownerId: t.ownerId,
        requesterId: t.requesterId,
        pendingOwnerId: t.pendingOwnerId,
        reason: (reason ?? "").trim() !== "",
      },
      // What a refusal about the ticket says: its reference, owner and requester.
      { ref: ref(t.id), owner: t.ownerName ?? t.ownerId ?? "ticket.nobody", requester: t.requester ?? "ticket.nobody" },
    );
  }

  /** Refuses, before a form opens, what the lifecycle or the authority table would refuse once it is filled in. */
  async checkAllowed(actor: Actor, id: number, action: Action, act: AuthorityAction): Promise<Ticket> {
    const t = await this.check(id, action);
    // The form may still carry the reason a manager's override needs: asked for, not assumed missing.
    this.allow(actor, t, act, "(form)");
    return t;
  }

  timeline(id: number) {
    return this.deps.tickets.timeline(id);
  }

  private firstResponse(t: Ticket, now: DateTime): TicketPatch {
    return t.firstResponseAt ? {} : { firstResponseAt: now };
  }

  /** Leaving a paused wait: each deadline gets back the time that was left when the pause began. */
  private resume(t: Ticket, now: DateTime): TicketPatch {
    if (!t.pausedAt) return t.status === "waiting" ? { waitingOn: null, waitingFor: null } : {};
    const carry = (due: DateTime | undefined) =>
      due ? this.deps.sla.carryOver(t.priority, due, t.pausedAt!, now) : undefined;
    return {
      pausedAt: null,
      waitingOn: null,
      waitingFor: null,
      ...(t.firstResponseAt ? {} : { firstResponseDue: carry(t.firstResponseDue) }),
      ...(t.resolutionDue ? { resolutionDue: carry(t.resolutionDue) } : {}),
      ...(t.nextUpdateDue ? { nextUpdateDue: carry(t.nextUpdateDue) } : {}),
    };
  }

  /**
   * Checks `action` against the lifecycle on the ticket as read, then writes the change `make`
   * returns for it; when the ticket changed meanwhile, reads it again and starts over.
   */
  private change(
    id: number,
    action: Action,
    make: (t: Ticket, now: DateTime) => { patch: TicketPatch; event: Omit<NewEvent, "at"> },
    auth?: { actor: Actor; act: AuthorityAction; reason: string | undefined },
  ): Promise<Ticket> {
    return retryOnStale(async () => {
      const t = await this.check(id, action);
      const d = auth ? this.allow(auth.actor, t, auth.act, auth.reason) : undefined;
      const now = this.deps.clock.now();
      const w = make(t, now);
      // A manager acting over the owner: the timeline says so, and over whom.
      const event = d ? { ...w.event, data: { ...w.event.data, ...overrideData(d, t.ownerName) } } : w.event;
      return this.write(t, { patch: w.patch, event, now });
    });
  }

  /** Writes only if the ticket is still as read; see attempt(). */
  private async write(
    t: Ticket,
    w: { patch: TicketPatch; event: Omit<NewEvent, "at">; now: DateTime },
  ): Promise<Ticket> {
    const written = await this.deps.tickets.update(
      t.id,
      { ...w.patch, updatedAt: w.now },
      { ...w.event, at: w.now },
      t.version,
    );
    await this.deps.onChange?.(written);
    return written;
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
