import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { Policy } from "../config/policy.ts";
import { readableTime, type Texts } from "../i18n/index.ts";
import { platformOf } from "../outages/model.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { OutboxTarget } from "../outbox/outbox.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import { breachWarnings, pendingDeadlines } from "../sla/sla-state.ts";
import { ref, type Ticket } from "./model.ts";
import { durationText } from "../sla/duration-text.ts";

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
      outbox: OutboxRepository;
      sla: SlaClock;
      clock: Clock;
      texts: Texts;
      policy: Policy;
      /** The channel of the ticket's card (Slack or Discord), where the helpdesk team works it. */
      cardChannel?: (ticketId: number) => Promise<OutboxTarget | undefined>;
    },
  ) {}

  /** Schedules what this ticket needs now; `after` skips deadlines up to one just warned about. */
  async sync(t: Ticket, after?: DateTime): Promise<void> {
    const now = this.d.clock.now();
    const autoCloseKey = `${ref(t.id)}:auto_close`;
    if (t.status === "resolved" && t.autoCloseAt) {
      await this.d.jobs.schedule(
        { key: autoCloseKey, kind: TICKET_JOBS.autoClose, dueAt: t.autoCloseAt, payload: { ticketId: t.id } },
        now,
      );
    } else await this.d.jobs.cancel(autoCloseKey);
    const warningJob = `${ref(t.id)}:warning`;
    // The next deadline to warn about. One that passed unwarned (Relais was down over its warning, or
    // died before scheduling it) is warned late, once: the outbox tells whether its warning went out.
    let next: ReturnType<typeof breachWarnings>[number] | undefined;
    for (const w of breachWarnings(t, this.d.sla)) {
      if (after && w.due <= after) continue;
      if (w.due > now || !(await this.d.outbox.recorded(warningPost(t, w.target, w.due)))) {
        next = w;
        break;
      }
    }
    if (next) {
      await this.d.jobs.schedule(
        {
          key: warningJob,
          kind: TICKET_JOBS.warning,
          dueAt: next.warnAt,
          payload: { ticketId: t.id, target: next.target, due: next.due.toISO() },
        },
        now,
      );
    } else await this.d.jobs.cancel(warningJob);
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
