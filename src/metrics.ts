import type { DateTime } from "luxon";
import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Clock } from "./clock.ts";
import { schedulerLateAfterMs } from "./health.ts";
import type { Outcome, PipelineMeter } from "./kit/pipeline.ts";
import type { SendFailure } from "./outbox/dispatcher.ts";
import type { OutboxRepository } from "./outbox/outbox-repository.ts";
import type { Pulse } from "./periodic.ts";
import type { JobRepository } from "./scheduler/job-repository.ts";
import type { SlaClock } from "./sla/sla-clock.ts";
import { slaStanding } from "./sla/sla-state.ts";
import { PRIORITIES, type Priority } from "./tickets/priority.ts";
import type { TicketRepository } from "./tickets/ticket-repository.ts";

/**
 * The tickets due soon read per scrape for the at-risk gauge (those whose earliest deadline falls
 * within their priority's warning delay: a helpdesk has far fewer at once); breached ones are
 * counted in the database, whatever their number.
 */
export const SLA_SCRAPE_LIMIT = 10_000;
/** Warning times remembered between scrapes (a few per open ticket). */
const WARNINGS_KEPT = 50_000;

export interface MetricsSources {
  store: {
    outbox: Pick<OutboxRepository, "backlog">;
    jobs: Pick<JobRepository, "countOverdue">;
    tickets: Pick<TicketRepository, "slaTally">;
  };
  sla: SlaClock;
  clock: Clock;
  scheduler: { pulse(): Pulse };
  log?: Logger | undefined;
}

/**
 * What GET /metrics says, in Prometheus's text format: one registry per Relais (never prom-client's
 * global one: tests build many). Counters and the ack histogram move as things happen; the outbox,
 * overdue jobs and SLA gauges are read from the database when scraped (grouped counts, breached
 * tickets among them, and a bounded read of the tickets due soon), so every replica reports the
 * same shared state.
 */
export class RelaisMetrics implements PipelineMeter {
  readonly registry = new Registry();
  private processMetrics = false;
  private scraping: Promise<string> | undefined;
  private readonly platforms = new Set<string>();
  private readonly commands: Counter<"surface" | "command" | "sub" | "outcome">;
  private readonly ack: Histogram<"surface">;
  private readonly postFailures: Counter<"platform" | "kind">;
  private readonly outboxPending: Gauge<"platform">;
  private readonly outboxFailed: Gauge<"platform">;
  private readonly jobsOverdue: Gauge;
  private readonly slaTickets: Gauge<"priority" | "state">;
  private readonly storeUp: Gauge;

  /**
   * The SLA clock's warning times, remembered between scrapes: they depend only on the priority,
   * the deadline and the clock's start, and computing one in business time is what a scrape of
   * many open tickets would spend its time on. Forgotten whole past WARNINGS_KEPT.
   */
  private readonly warnings: Pick<SlaClock, "warnAt">;

  constructor(private readonly sources: MetricsSources) {
    const known = new Map<string, DateTime>();
    this.warnings = {
      warnAt: (priority, due, from) => {
        const key = `${priority}|${due.toMillis()}|${from.toMillis()}`;
        let at = known.get(key);
        if (!at) {
          if (known.size >= WARNINGS_KEPT) known.clear();
          at = sources.sla.warnAt(priority, due, from);
          known.set(key, at);
        }
        return at;
      },
    };
    const registers = [this.registry];
    this.commands = new Counter({
      name: "relais_commands_total",
      help: "Commands handled, by surface, command, subcommand and outcome (done, refused, failed).",
      labelNames: ["surface", "command", "sub", "outcome"] as const,
      registers,
    });
    this.ack = new Histogram({
      name: "relais_ack_seconds",
      help: "Time from a request's receipt to its acknowledgement (the platforms allow 3 s).",
      labelNames: ["surface"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.postFailures = new Counter({
      name: "relais_outbox_failures_total",
      help: "Attempts to send a post that failed, by platform and kind (rate_limited, transient: retried; refused: for good).",
      labelNames: ["platform", "kind"] as const,
      registers,
    });
    this.outboxPending = new Gauge({
      name: "relais_outbox_pending",
      help: "Posts recorded and not sent yet, by platform.",
      labelNames: ["platform"] as const,
      registers,
    });
    this.outboxFailed = new Gauge({
      name: "relais_outbox_failed",
      help: "Posts the platform refused for good (their owners were told), by platform.",
      labelNames: ["platform"] as const,
      registers,
    });
    this.jobsOverdue = new Gauge({
      name: "relais_jobs_overdue",
      help: "Timed jobs still pending past their due time by longer than the scheduler may be late.",
      registers,
    });
    this.slaTickets = new Gauge({
      name: "relais_sla_tickets",
      help: "Open tickets whose SLA deadline is at risk (warning time passed) or breached, by priority.",
      labelNames: ["priority", "state"] as const,
      registers,
    });
    this.storeUp = new Gauge({
      name: "relais_store_up",
      help: "1 when the database answered this scrape's counts; 0 when it did not (the gauges read from it are then absent, relais_jobs_overdue NaN).",
      registers,
    });
    const { scheduler } = sources;
    new Gauge({
      name: "relais_scheduler_last_pass_timestamp_seconds",
      help: "When this process's scheduler last finished a pass (Unix time); 0 before its first.",
      registers,
      collect() {
        this.set(scheduler.pulse().lastPassAt?.toSeconds() ?? 0);
      },
    });
  }

  /** A command handled by the pipeline (src/kit/pipeline.ts). Labels are definition names, never typed text. */
  command(surface: string, command: string, sub: string, outcome: Outcome): void {
    this.commands.inc({ surface, command, sub, outcome });
  }

  /** A request acknowledged `seconds` after it was received. */
  acked(surface: string, seconds: number): void {
    this.ack.observe({ surface }, seconds);
  }

  /** A send that failed (src/outbox/dispatcher.ts). */
  postFailed(platform: string, kind: SendFailure): void {
    this.postFailures.inc({ platform, kind });
  }

  /** A platform this process sends to: its outbox gauges are shown at 0 rather than absent. */
  sendsTo(platform: string): void {
    this.platforms.add(platform);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition: the gauges read from the database now, then everything in the text format.
   * Scrapes at the same moment share one reading (the gauges are reset and set by it).
   */
  exposition(): Promise<string> {
    if (!this.processMetrics) {
      // Started at the first scrape, not per instance: the event loop monitor is a timer.
      collectDefaultMetrics({ register: this.registry });
      this.processMetrics = true;
    }
    this.scraping ??= this.readStore()
      .then(() => this.registry.metrics())
      .finally(() => (this.scraping = undefined));
    return this.scraping;
  }

  private async readStore(): Promise<void> {
    const { store, clock, scheduler, log } = this.sources;
    for (const g of [this.outboxPending, this.outboxFailed, this.jobsOverdue, this.slaTickets]) g.reset();
    try {
      const now = clock.now();
      // A ticket can be at risk only if a deadline falls within its priority's warning delay
      // from now (a minute more: the horizon only narrows what is read, slaStanding decides).
      const horizons = Object.fromEntries(
        PRIORITIES.map((p) => [
          p,
          this.sources.sla.add(p, now, this.sources.sla.row(p).warnBefore).plus({ minutes: 1 }),
        ]),
      ) as Record<Priority, DateTime>;
      const [backlog, overdue, tally] = await Promise.all([
        store.outbox.backlog(),
        store.jobs.countOverdue(now.minus({ milliseconds: schedulerLateAfterMs(scheduler.pulse()) })),
        store.tickets.slaTally(now, horizons, SLA_SCRAPE_LIMIT),
      ]);
      for (const platform of this.platforms) {
        this.outboxPending.set({ platform }, 0);
        this.outboxFailed.set({ platform }, 0);
      }
      for (const b of backlog)
        (b.status === "pending" ? this.outboxPending : this.outboxFailed).set({ platform: b.platform }, b.count);
      this.jobsOverdue.set(overdue);
      for (const priority of PRIORITIES)
        for (const state of ["at_risk", "breached"] as const) this.slaTickets.set({ priority, state }, 0);
      for (const b of tally.breached) this.slaTickets.set({ priority: b.priority, state: "breached" }, b.count);
      for (const [i, t] of tally.soon.entries()) {
        const { state } = slaStanding(t, this.warnings, now);
        if (state === "at_risk") this.slaTickets.inc({ priority: t.priority, state });
        // Business-time arithmetic is the cost here: the event loop (acks) gets its turn now and then.
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      this.storeUp.set(1);
    } catch (e) {
      log?.warn({ err: e }, "metrics: the database could not be read for this scrape");
      for (const g of [this.outboxPending, this.outboxFailed, this.slaTickets]) g.reset();
      // Unknown, not 0: a gauge without labels cannot be absent.
      this.jobsOverdue.set(Number.NaN);
      this.storeUp.set(0);
    }
  }
}
