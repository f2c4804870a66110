import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { Policy } from "../config/policy.ts";
import { RelaisError } from "../errors.ts";
import { readableTime, type Texts } from "../i18n/index.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { Reply } from "../reply.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import { subtractDuration } from "../sla/duration.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import { title } from "../text.ts";
import { isOpen, ref, type Ticket } from "../tickets/model.ts";
import type { TicketService } from "../tickets/service.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { Actor } from "../timeline/events.ts";
import { outageRef, type Outage } from "./model.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutageService } from "./service.ts";

/** What `/outage followup` (or the resolve form's follow-up section) gives: all three are required. */
export interface FollowUpInput {
  action?: string;
  /** A chat user Relais can remind privately (a plain name has no id: refused). */
  owner?: { id?: string; name: string };
  due?: DateTime;
}

/** A follow-up as the report shows it: done once its ticket is resolved or closed. */
export type FollowUpState = "open" | "done" | "overdue";

export const FOLLOW_UP_JOBS = { reminder: "outage.follow_up_reminder", due: "outage.follow_up_due" } as const;

/** done: the ticket resolved or closed; overdue: still open at or after its due date; else open. */
export function followUpState(t: Pick<Ticket, "status" | "dueAt">, now: DateTime): FollowUpState {
  if (!isOpen(t)) return "done";
  return t.dueAt && t.dueAt <= now ? "overdue" : "open";
}

/**
 * Follow-up actions after an outage (seed 001 "panne d'un serveur": the report names the actions
 * that keep it from happening again; seeds 001/002 "Suivi (ticket enfant, monitoring, prochaine
 * vérification)"). Each one is a real ticket — its own T-<n>, owner and SLA — recorded as a
 * follow-up of the outage (`followUpOf`, not `outageId`: the outage's status is not the action's)
 * with its due date. Its owner hears of it privately at once, is reminded before the due date
 * (policy `outages.followUpReminderBefore`, one business day by default) unless it is done, and at
 * the due date, if still open, the owner and the outage's owner are told. The ticket, its posts and
 * its jobs are written in the command's unit of work: all of them or none.
 */
export class FollowUps {
  constructor(
    private readonly d: {
      outages: Pick<OutageService, "get" | "allow">;
      tickets: TicketService;
      ticketStore: Pick<TicketRepository, "get" | "linked">;
      jobs: JobRepository;
      outbox: OutboxRepository;
      sla: SlaClock;
      clock: Clock;
      policy: Policy;
      /** The team's language: what the owners read in private messages. */
      texts: Texts;
    },
  ) {}

  /** Refuses, before a form opens, an unknown outage or someone who may not add follow-ups to it. */
  async check(actor: Actor, outageId: number): Promise<Outage> {
    const o = await this.d.outages.get(outageId);
    this.d.outages.allow(actor, o, "outage_follow_up");
    return o;
  }

  /**
   * Adds a follow-up to outage `outageId` (ongoing or restored: the actions usually come out of the
   * report). Every input is checked before anything is written: a refusal changes nothing.
   */
  async add(actor: Actor, outageId: number, input: FollowUpInput): Promise<{ ticket: Ticket; outage: Outage }> {
    const o = await this.check(actor, outageId);
    const { action, owner, due } = this.checkInput(input);
    const ticket = await this.d.tickets.create(
      actor,
      { title: action },
      { owner, priority: this.d.policy.outages.followUpPriority, followUpOf: o.id, dueAt: due },
    );
    await this.tell(owner.id, `${ref(ticket.id)}:follow_up:assigned`, "followup.assigned", ticket, o, {
      who: actor.name,
    });
    await this.schedule(ticket);
    return { ticket, outage: o };
  }

  /**
   * The action, a reachable owner and a due date to come, or the refusal naming the field at fault
   * (`field`: a form shows it beside that field).
   */
  checkInput(input: FollowUpInput): { action: string; owner: Actor; due: DateTime } {
    const now = this.d.clock.now();
    if (!input.action?.trim()) throw new RelaisError("followup_action_required", { field: "followUpAction" });
    // The action is the ticket's title: the same rule (one sentence, at most TITLE_MAX).
    const action = title(input.action);
    if (!input.owner) throw new RelaisError("followup_owner_required", { field: "followUpOwner" });
    const { id, name } = input.owner;
    // Reminders are private messages: a plain name (no chat account) cannot get them.
    if (!id) throw new RelaisError("followup_owner_unreachable", { field: "followUpOwner", name });
    if (!input.due) throw new RelaisError("followup_due_required", { field: "followUpDue" });
    if (input.due <= now) throw new RelaisError("followup_due_past", { field: "followUpDue" });
    return { action, owner: { id, name }, due: input.due };
  }

  /** The follow-ups of an outage, in creation order, with their state now. */
  async of(outageId: number): Promise<{ ticket: Ticket; state: FollowUpState }[]> {
    const now = this.d.clock.now();
    return (await this.d.ticketStore.linked({ followUpOf: outageId })).map((ticket) => ({
      ticket,
      state: followUpState(ticket, now),
    }));
  }

  /** When a reminder is due before the due date (none when that moment has passed already). */
  remindAt(due: DateTime): DateTime | undefined {
    const at = subtractDuration(due, this.d.policy.outages.followUpReminderBefore, { calendar: this.d.sla.calendar });
    return at > this.d.clock.now() ? at : undefined;
  }

  /** Before the due date: the owner is reminded privately, unless the action is done (or moved). */
  async onReminder(ticketId: number, dueAt: DateTime): Promise<void> {
    const found = await this.pending(ticketId, dueAt);
    if (!found?.t.ownerId) return;
    await this.tell(
      found.t.ownerId,
      `${ref(ticketId)}:follow_up:reminder:${dueAt.toMillis()}`,
      "followup.reminder",
      found.t,
      found.o,
    );
  }

  /** At the due date, still open: its owner and the outage's owner are told (each once). */
  async onDue(ticketId: number, dueAt: DateTime): Promise<void> {
    const found = await this.pending(ticketId, dueAt);
    if (!found) return;
    const to = new Set([found.t.ownerId, found.o.ownerId].filter((id): id is string => id !== undefined));
    for (const id of to)
      await this.tell(
        id,
        `${ref(ticketId)}:follow_up:overdue:${dueAt.toMillis()}:${id}`,
        "followup.overdue",
        found.t,
        found.o,
      );
  }

  /** The follow-up ticket and its outage, if it is still open and still due at `dueAt`. */
  private async pending(ticketId: number, dueAt: DateTime): Promise<{ t: Ticket; o: Outage } | undefined> {
    const t = await this.d.ticketStore.get(ticketId);
    if (!t || !isOpen(t) || t.followUpOf === undefined || t.dueAt?.toMillis() !== dueAt.toMillis()) return undefined;
    return { t, o: await this.d.outages.get(t.followUpOf) };
  }

  private async schedule(t: Ticket): Promise<void> {
    const now = this.d.clock.now();
    const due = t.dueAt!;
    const payload = { ticketId: t.id, dueAt: due.toISO() };
    const remindAt = this.remindAt(due);
    if (remindAt)
      await this.d.jobs.schedule(
        { key: `${ref(t.id)}:follow_up:reminder`, kind: FOLLOW_UP_JOBS.reminder, dueAt: remindAt, payload },
        now,
      );
    await this.d.jobs.schedule(
      { key: `${ref(t.id)}:follow_up:due`, kind: FOLLOW_UP_JOBS.due, dueAt: due, payload },
      now,
    );
  }

  /** A private message about follow-up `t` of `o`, through the outbox (once per key). */
  private async tell(
    to: string,
    key: string,
    message: "followup.assigned" | "followup.reminder" | "followup.overdue",
    t: Ticket,
    o: Outage,
    extra: Record<string, string> = {},
  ): Promise<void> {
    const x = this.d.texts;
    const now = this.d.clock.now();
    const reply: Reply = {
      blocks: [
        {
          type: "text",
          text: x.t(message, {
            ref: ref(t.id),
            outage: outageRef(o.id),
            action: t.title,
            owner: t.ownerName ?? "—",
            due: readableTime(x, t.dueAt!, now),
            ...extra,
          }),
        },
      ],
      ephemeral: false,
    };
    await this.d.outbox.enqueue({ ...platformOf(to), key, reply }, now);
  }
}
