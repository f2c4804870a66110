import { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { shortestBusinessDay, WEEKDAYS, type Policy } from "../config/policy.ts";
import type { Texts } from "../i18n/index.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { OutboxTarget } from "../outbox/outbox.ts";
import { platformOf } from "../channel-ref.ts";
import type { Reply } from "../reply.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import { buildReport, SLA_REPORT_LIMIT, type ReportRequest, type SlaReport } from "./report.ts";
import { reportReply } from "./report-text.ts";
import type { SlaClock } from "./sla-clock.ts";

export const SLA_REPORT_JOBS = { weekly: "sla_report.weekly" } as const;

/**
 * The SLA report read from the store (a bounded query of the range's tickets), and its weekly post
 * (policy `slaReport`): one job per week and channel, keyed `sla-report:<platform>:<channel>:<ISO
 * week>`, whose handler records the post (key `sla-report:<ISO week>:<platform>:<channel>`, so a
 * second firing records nothing) with its CSV in the outbox and schedules next week's job in the same
 * unit of work. A restart or a second replica finds next week's job pending and schedules nothing.
 */
export class SlaReports {
  /** What "1 business day" is in a duration: the policy's shortest business day (as `bd` counts in its checks). */
  readonly dayMinutes: number;

  constructor(
    private readonly d: {
      tickets: TicketRepository;
      sla: SlaClock;
      policy: Policy;
      clock: Clock;
      jobs: JobRepository;
      outbox: OutboxRepository;
      /** The team's language, for the weekly post. */
      texts: Texts;
    },
  ) {
    this.dayMinutes = shortestBusinessDay(d.policy.businessHours);
  }

  /**
   * The report asked by someone on Slack or Discord: the private answer (an ephemeral message there
   * can carry no file), and its CSV sent to them privately through the outbox, as a file (Slack
   * upload, Discord attachment). In the shell the answer itself writes the CSV and names it.
   */
  async answer(x: Texts, report: SlaReport, actorId: string): Promise<Reply> {
    const answer = reportReply(x, report, this.dayMinutes, true);
    const to = platformOf(actorId);
    if (to.platform === "shell" || !answer.file) return answer;
    const now = this.d.clock.now();
    const dm: Reply = {
      blocks: [{ type: "text", text: x.t("report.sla.csv_private", { name: answer.file.name }) }],
      ephemeral: false,
      file: answer.file,
    };
    // One per request: a unit retried whole rolls back the first attempt's post with it.
    await this.d.outbox.enqueue({ ...to, key: `sla-report:csv:${actorId}:${now.toMillis()}`, reply: dm }, now);
    const { file: _sent, ...rest } = answer;
    return {
      ...rest,
      blocks: [...rest.blocks, { type: "context", text: x.t("report.sla.csv_sent", { name: answer.file.name }) }],
    };
  }

  /** The report of a request, read now. */
  async report(req: ReportRequest): Promise<SlaReport> {
    const { tickets, truncated } = await this.d.tickets.activity(req.range, SLA_REPORT_LIMIT);
    return buildReport(this.d.sla, tickets, req.range, this.d.clock.now(), {
      ...(req.priority ? { priority: req.priority } : {}),
      truncated,
    });
  }

  reply(x: Texts, report: SlaReport, ephemeral: boolean, late = 0): Reply {
    return reportReply(x, report, this.dayMinutes, ephemeral, late);
  }

  /** The week's posting time of the week containing `t`: the policy's day and time, in its zone. */
  slotOf(t: DateTime): DateTime {
    const cfg = this.d.policy.slaReport!;
    const [hour, minute] = cfg.time.split(":").map(Number) as [number, number];
    return t
      .setZone(this.d.policy.timezone)
      .startOf("week")
      .plus({ days: WEEKDAYS.indexOf(cfg.day) })
      .set({ hour, minute, second: 0, millisecond: 0 });
  }

  private jobKey(c: OutboxTarget, slot: DateTime): string {
    return `sla-report:${c.platform}:${c.channel}:${weekId(slot)}`;
  }

  /**
   * At start-up: each report channel without a pending weekly job (a report just enabled) gets one
   * at the next posting time. A pending one (this week's, overdue after downtime, or next week's) is
   * left as it is. Returns how many were scheduled.
   */
  async resync(): Promise<number> {
    const cfg = this.d.policy.slaReport;
    if (!cfg) return 0;
    const now = this.d.clock.now();
    const current = this.slotOf(now);
    const next = current >= now ? current : this.slotOf(now.plus({ weeks: 1 }));
    let scheduled = 0;
    for (const c of cfg.channels) {
      const keys = [this.jobKey(c, current), this.jobKey(c, this.slotOf(current.plus({ weeks: 1 })))];
      const pending = await Promise.all(keys.map((k) => this.d.jobs.pending(k)));
      if (pending.some(Boolean)) continue;
      await this.schedule(c, next, now);
      scheduled++;
    }
    return scheduled;
  }

  private schedule(c: OutboxTarget, slot: DateTime, now: DateTime): Promise<void> {
    return this.d.jobs.schedule(
      {
        key: this.jobKey(c, slot),
        kind: SLA_REPORT_JOBS.weekly,
        dueAt: slot,
        payload: { platform: c.platform, channel: c.channel, slot: slot.toISO() },
      },
      now,
    );
  }

  /** The weekly job: the week just ended, posted with its CSV; then next week's job. */
  async onWeekly(payload: Record<string, unknown>, lateMinutes: number): Promise<void> {
    const target = { platform: String(payload.platform), channel: String(payload.channel) };
    const slot = DateTime.fromISO(String(payload.slot), { zone: this.d.policy.timezone });
    const weekStart = slot.startOf("week");
    const range = { from: weekStart.minus({ weeks: 1 }), to: weekStart };
    const report = await this.report({ kind: "days", range });
    const now = this.d.clock.now();
    await this.d.outbox.enqueue(
      {
        key: `sla-report:${weekId(slot)}:${target.platform}:${target.channel}`,
        ...target,
        reply: this.reply(this.d.texts, report, false, lateMinutes),
      },
      now,
    );
    if (this.d.policy.slaReport?.channels.some((c) => c.platform === target.platform && c.channel === target.channel))
      await this.schedule(target, this.slotOf(slot.plus({ weeks: 1 })), now);
  }
}

/** "2026-W45": the ISO week of a posting time, in its zone. */
function weekId(slot: DateTime): string {
  return slot.toFormat("kkkk-'W'WW");
}
