import { sentence } from "../text.ts";
import type { Clock } from "../clock.ts";
import type { Policy } from "../config/policy.ts";
import { readableTime, type Texts } from "../i18n/index.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import { durationText } from "../sla/duration-text.ts";
import { ref, type Ticket } from "./model.ts";
import { priorityReason } from "./views.ts";

/**
 * What the requester hears, privately, when Relais can reach them (PRODUCT "One story": the
 * requester is a person): the acknowledgement (their name, their problem in their words, the
 * priority and why, the first-response deadline), the resolution (seed 000 §II.A ⑤ validation and
 * ⑥ clôture: result, what was done in one sentence, the reference, "does it work for you?",
 * "anything else?", the auto-close date and how to reopen) and the auto-close notice. Requesters
 * never get SLA warnings (those go to technicians, see timers.ts). Every post goes through the
 * outbox, once per key.
 */
export class RequesterNotices {
  constructor(private readonly d: { outbox: OutboxRepository; clock: Clock; texts: Texts; policy: Policy }) {}

  async acknowledged(t: Ticket): Promise<void> {
    // Nobody to tell: nothing is worded (most tickets are opened by the person who has the problem).
    if (!t.requesterId) return;
    const x = this.d.texts;
    const now = this.d.clock.now();
    await this.send(t, "ack", [
      x.t("requester.ack", {
        name: t.requester ?? "",
        ref: ref(t.id),
        problem: t.title,
        priority: t.priority,
        reason: priorityReason(x, t),
        due: readableTime(x, t.firstResponseDue, now),
      }),
    ]);
  }

  async resolved(t: Ticket): Promise<void> {
    if (!t.requesterId || !t.resolvedAt || !t.autoCloseAt || !t.resolutionKind) return;
    const x = this.d.texts;
    const now = this.d.clock.now();
    const note = sentence(t.resolutionNote ?? "");
    const summary = note !== "" ? note : x.t("requester.summary_default", { title: t.title });
    const lines = [
      x.t("requester.resolved", {
        name: t.requester ?? "",
        ref: ref(t.id),
        kind: x.t(`choice.kind.${t.resolutionKind}`),
        summary,
        autoClose: readableTime(x, t.autoCloseAt, now),
      }),
    ];
    if (t.alternative) lines.push(x.t("requester.resolved_alternative", { alternative: t.alternative }));
    // A ticket resolved again after a reopening is a new resolution: its own key.
    await this.send(t, `resolved:${t.resolvedAt.toMillis()}`, lines);
  }

  async autoClosed(t: Ticket): Promise<void> {
    const x = this.d.texts;
    await this.send(t, "auto_closed", [
      x.t("requester.auto_closed", {
        name: t.requester ?? "",
        ref: ref(t.id),
        delay: durationText(x, this.d.policy.autoCloseAfter),
      }),
    ]);
  }

  /** Privately to the requester's chat account; nothing for a caller who is only a name. */
  private async send(t: Ticket, what: string, lines: string[]): Promise<void> {
    if (!t.requesterId) return;
    await this.d.outbox.enqueue(
      {
        ...platformOf(t.requesterId),
        key: `${ref(t.id)}:requester:${what}`,
        reply: { blocks: lines.map((text) => ({ type: "text" as const, text })), ephemeral: false },
      },
      this.d.clock.now(),
    );
  }
}
