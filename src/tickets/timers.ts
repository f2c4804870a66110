import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { Policy } from "../config/policy.ts";
import { readableTime, type Texts } from "../i18n/index.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { OutboxTarget } from "../outbox/outbox.ts";
import { type JobPlan, type JobRepository, type JobSpec, unwritten, writePlan } from "../scheduler/job-repository.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import { breachWarnings, pendingDeadlines } from "../sla/sla-state.ts";
import { ref, type Ticket } from "./model.ts";
import { durationText } from "../sla/duration-text.ts";
import type { UnitOfWork } from "../unit-of-work.ts";

export const TICKET_JOBS = { warning: "ticket.sla_warning", autoClose: "ticket.auto_close" } as const;

/**
 * The timed work of a ticket (rules 10 and 11): the owner is warned before each SLA deadline
 * ("delays are announced, not discovered"), and a resolved ticket the requester never confirms
 * closes after the policy's delay (72 h, seed 000 §II.A ⑤). Re-synced after every change.
 */
export class TicketTimers {
  constructor(
    private readonly d: {
      jobs: JobRepository;
      /** The start-up resync writes a batch's differences as one unit. */
      unit: UnitOfWork;
      outbox: OutboxRepository;
      sla: SlaClock;
      clock: Clock;
      texts: Texts;
      policy: Policy;
      /** The channel of the ticket's card (Slack or Discord), where the helpdesk team works it. */
      cardChannel?: (ticketId: number) => Promise<OutboxTarget | undefined>;
    },
  ) {}

  /**
   * Schedules what this ticket needs now; `after` skips deadlines up to one just warned about. A
   * ticket just `created` has nothing pending to cancel: one statement less per `/ticket` (issue 16).
   */
  async sync(t: Ticket, after?: DateTime, created = false): Promise<void> {
    const { schedule, cancel } = await this.plan([t], after);
    await writePlan(this.d.jobs, { schedule, cancel: created ? [] : cancel }, this.d.clock.now());
  }

  /**
   * The start-up resync of a batch of tickets (a job lost in a crash, a policy changed since): what
   * each needs, read against what is pending in one query, and only the differences written, in one
   * unit. A restart over 10,000 open tickets costs a few reads per batch, not 20,000 writes that
   * also hold the database against the first acks (issue 16). The number of jobs written.
   */
  async resync(tickets: readonly Ticket[]): Promise<number> {
    const changed = await unwritten(this.d.jobs, await this.plan(tickets));
    const count = changed.schedule.length + changed.cancel.length;
    if (count > 0) await this.d.unit.run(() => writePlan(this.d.jobs, changed, this.d.clock.now()));
    return count;
  }

  /** The jobs these tickets need now, and the keys of the ones they no longer need. */
  private async plan(tickets: readonly Ticket[], after?: DateTime): Promise<JobPlan> {
    const now = this.d.clock.now();
    const schedule: JobSpec[] = [];
    const cancel: string[] = [];
    const warnings = tickets.map((t) => breachWarnings(t, this.d.sla).filter((w) => !after || w.due > after));
    // A deadline that passed unwarned (Relais was down over its warning, or died before scheduling
    // it) is warned late, once: the outbox tells whether its warning went out.
    const passed = tickets.flatMap((t, i) =>
      warnings[i]!.filter((w) => w.due <= now).map((w) => warningPost(t, w.target, w.due)),
    );
    const warned = passed.length > 0 ? await this.d.outbox.recordedAmong(passed) : new Set<string>();
    tickets.forEach((t, i) => {
      const autoClose = `${ref(t.id)}:auto_close`;
      if (t.status === "resolved" && t.autoCloseAt) {
        schedule.push({
          key: autoClose,
          kind: TICKET_JOBS.autoClose,
          dueAt: t.autoCloseAt,
          payload: { ticketId: t.id },
        });
      } else cancel.push(autoClose);
      const warning = `${ref(t.id)}:warning`;
      const next = warnings[i]!.find((w) => w.due > now || !warned.has(warningPost(t, w.target, w.due)));
      if (next) {
        schedule.push({
          key: warning,
          kind: TICKET_JOBS.warning,
          dueAt: next.warnAt,
          payload: { ticketId: t.id, target: next.target, due: next.due.toISO() },
        });
      } else cancel.push(warning);
    });
    return { schedule, cancel };
  }

  /**
   * Warns the owner privately, if that deadline is still the one pending; an unowned ticket's
   * warning goes to the helpdesk channel (its card's channel) so someone takes it. Warnings are for
   * technicians: the requester never gets one (PRODUCT "One story").
   */
  async warn(t: Ticket, target: string, dueIso: string): Promise<void> {
    const pending = pendingDeadlines(t).find((p) => p.target === target && p.due.toISO() === dueIso);
    if (!pending || t.pausedAt) return;
    const to = await this.warningTarget(t);
    if (!to) return;
    const x = this.d.texts;
    const now = this.d.clock.now();
    const params = { ref: ref(t.id), target: x.t(`sla.${pending.target}`), due: readableTime(x, pending.due, now) };
    await this.d.outbox.enqueue(
      {
        ...to.target,
        key: warningPost(t, target, pending.due),
        reply: {
          blocks: [{ type: "text", text: x.t(to.owned ? "ticket.warning" : "ticket.warning_unowned", params) }],
          ephemeral: false,
        },
      },
      now,
    );
  }

  /** The owner; unowned, the card's channel, else whoever opened it (never the requester). */
  private async warningTarget(t: Ticket): Promise<{ target: OutboxTarget; owned: boolean } | undefined> {
    if (t.ownerId) return { target: platformOf(t.ownerId), owned: true };
    const card = await this.d.cardChannel?.(t.id);
    if (card) return { target: card, owned: false };
    if (t.createdBy !== t.requesterId) return { target: platformOf(t.createdBy), owned: false };
    return undefined;
  }

  async autoClosed(t: Ticket): Promise<void> {
    if (!t.ownerId) return;
    const x = this.d.texts;
    await this.d.outbox.enqueue(
      {
        ...platformOf(t.ownerId),
        key: `${ref(t.id)}:auto_closed`,
        reply: {
          blocks: [
            {
              type: "text",
              text: x.t("ticket.auto_closed", { ref: ref(t.id), delay: durationText(x, this.d.policy.autoCloseAfter) }),
            },
          ],
          ephemeral: false,
        },
      },
      this.d.clock.now(),
    );
  }
}

/** The outbox key of a ticket's warning before one deadline: one warning per deadline. */
function warningPost(t: Ticket, target: string, due: DateTime): string {
  return `${ref(t.id)}:warning:${target}:${due.toMillis()}`;
}
