import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Clock } from "./clock.ts";
import { isManager, type Policy } from "./config/policy.ts";
import { texts, type Lang } from "./i18n/index.ts";
import type { CommandContext, Services } from "./kit/command.ts";
import type { ChannelRef } from "./channel-ref.ts";
import { OUTAGE_JOBS, OutageService } from "./outages/service.ts";
import { FOLLOW_UP_JOBS, FollowUps } from "./outages/follow-ups.ts";
import { TICKET_JOBS, TicketTimers } from "./tickets/timers.ts";
import { ESCALATION_JOBS, EscalationService } from "./escalations/service.ts";
import { OneVoice } from "./tickets/one-voice.ts";
import { RequesterNotices } from "./tickets/requester.ts";
import { RelaisMetrics } from "./metrics.ts";
import { DeliveryAlerts } from "./outbox/delivery.ts";
import { OutboxDispatcher } from "./outbox/dispatcher.ts";
import type { ChannelSender } from "./outbox/outbox.ts";
import { Scheduler } from "./scheduler/scheduler.ts";
import { durationMillis } from "./sla/duration.ts";
import { SlaClock } from "./sla/sla-clock.ts";
import { SLA_REPORT_JOBS, SlaReports } from "./sla/report-service.ts";
import type { Store } from "./store/database.ts";
import { TicketService } from "./tickets/service.ts";
import { Followers } from "./tickets/followers.ts";
import { SYSTEM_ACTOR, type Actor } from "./timeline/events.ts";
import { DeskHomes, watchedRepositories } from "./kit/desk-homes.ts";
import { AckPressure } from "./kit/after-ack.ts";
import { readDesk } from "./tickets/desk.ts";
import { ref } from "./tickets/model.ts";

/** Tickets read per step of the start-up resync: small enough that an ack never waits long behind one. */
const RESYNC_BATCH = 200;

/** The platform-neutral application: services wired once, shared by every surface. */
export interface Relais {
  services: Services;
  store: Store;
  scheduler: Scheduler;
  /** What GET /metrics says (this instance's registry): the pipeline and the dispatchers move it. */
  metrics: RelaisMetrics;
  log?: Logger;
  /** How long a claim (a job, a post, a recorded command) is a replica's before another may take it. */
  leaseMs: number;
  context(actor: Actor, lang?: Lang, channel?: ChannelRef): CommandContext;
  /**
   * The outbox dispatcher over the senders of the running surfaces (platform → sender); unless
   * `prompt` is false, `poke()` makes it send soon.
   */
  dispatcher(
    senders: Readonly<Record<string, ChannelSender>>,
    opts?: { worker?: string; prompt?: boolean },
  ): OutboxDispatcher;
  /** The desks people keep open (Slack App Home): published when opened, refreshed after changes. */
  homes: DeskHomes;
  /** Posts were just recorded (a command's card and reply): this process's dispatchers send them soon. */
  poke(): void;
  /**
   * The requests of every surface waiting for their ack: the work after acks and the outbox's sends
   * step aside for them (issue 16).
   */
  acks: AckPressure;
  /**
   * Schedules again the timed work of every open or resolved ticket (SLA warnings, auto-close).
   * Run at start-up: a crash between a ticket's write and its job's leaves nothing unscheduled.
   */
  resyncTimers(): Promise<{ tickets: number; outages: number; escalations: number; slaReports: number }>;
}

export function createRelais(deps: {
  store: Store;
  policy: Policy;
  clock: Clock;
  log?: Logger;
  worker?: string;
  leaseMs?: number;
  /** How long changes are gathered into one refresh of a person's desk (default 1 s). */
  deskWindowMs?: number;
}): Relais {
  const { policy, clock, log } = deps;
  const homes = new DeskHomes({
    read: (person) => readDesk({ ...deps.store, clock }, person),
    isManager: (id) => isManager(policy, { id, name: "" }),
    managerIds: policy.managers.users,
    viewers: deps.store.deskViewers,
    clock,
    tickets: deps.store.tickets,
    outages: deps.store.outages,
    unit: deps.store.unit,
    ...(deps.deskWindowMs !== undefined ? { windowMs: deps.deskWindowMs } : {}),
    ...(log ? { log } : {}),
  });
  // Every write the services make is watched: a committed change refreshes the desks it concerns.
  const store = { ...deps.store, ...watchedRepositories(deps.store, homes) };
  const sla = new SlaClock(policy);
  const teamTexts = texts(policy.language, policy.timezone, clock);
  const timers = new TicketTimers({
    jobs: store.jobs,
    unit: store.unit,
    outbox: store.outbox,
    sla,
    clock,
    texts: teamTexts,
    policy,
    // The helpdesk channel of a ticket: where its card goes (recorded with it; Slack first, then Discord).
    cardChannel: async (id) => {
      for (const platform of ["slack", "discord"] as const) {
        const card = await store.threads.get(id, platform);
        if (card) return { platform, channel: card.channel };
      }
      return undefined;
    },
  });
  const requester = new RequesterNotices({ outbox: store.outbox, clock, texts: teamTexts, policy });
  const followers = new Followers({ tickets: store.tickets, outbox: store.outbox, clock, texts: teamTexts });
  const tickets = new TicketService({
    tickets: store.tickets,
    onUpdated: (t) => followers.parentUpdated(t),
    outages: store.outages,
    sla,
    clock,
    policy,
    onChange: (t, created) => timers.sync(t, undefined, created),
    requester,
  });
  const outages = new OutageService({
    outages: store.outages,
    jobs: store.jobs,
    outbox: store.outbox,
    sla,
    clock,
    policy,
    texts: teamTexts,
    tickets,
    followers,
    // The report lists the outage's follow-up actions and their state.
    followUps: { of: (id) => followUps.of(id) },
    unit: store.unit,
    ...(log ? { log } : {}),
  });
  const followUps = new FollowUps({
    outages,
    tickets,
    ticketStore: store.tickets,
    jobs: store.jobs,
    outbox: store.outbox,
    sla,
    clock,
    policy,
    texts: teamTexts,
  });
  // The handover a decision starts is One Voice's.
  const voice = new OneVoice({
    tickets,
    outages,
    drafts: store.updateDrafts,
    outbox: store.outbox,
    clock,
    texts: teamTexts,
    isManager: (a) => isManager(policy, a),
  });
  const escalations = new EscalationService({
    escalations: store.escalations,
    tickets,
    outages,
    voice,
    jobs: store.jobs,
    outbox: store.outbox,
    clock,
    policy,
    texts: teamTexts,
  });
  // Who is told when a post does not go out: the owner of what it is about.
  const delivery = new DeliveryAlerts({
    outbox: store.outbox,
    clock,
    texts: teamTexts,
    alertAfterMs: durationMillis(policy.delivery.alertAfter),
    ownerOf: async (subject) => {
      const [kind, n] = subject.split("-") as [string, string];
      const id = Number(n);
      if (kind === "INC") return (await store.outages.get(id))?.ownerId;
      const ticketId = kind === "E" ? (await store.escalations.get(id))?.ticketId : id;
      return ticketId === undefined ? undefined : (await store.tickets.get(ticketId))?.ownerId;
    },
  });
  const reports = new SlaReports({
    tickets: store.tickets,
    sla,
    policy,
    clock,
    jobs: store.jobs,
    outbox: store.outbox,
    texts: teamTexts,
  });
  const services: Services = {
    reports,
    tickets,
    escalations,
    outages,
    followUps,
    voice,
    delivery,
    sla,
    policy,
    clock,
    unit: store.unit,
  };
  const scheduler = new Scheduler(store.jobs, clock, {
    unit: store.unit,
    ...(log ? { log } : {}),
    ...(deps.worker ? { worker: deps.worker } : {}),
    ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
    lateAfterMinutes: durationMillis(policy.outages.lateAfter) / 60_000,
  });
  const metrics = new RelaisMetrics({ store, sla, clock, scheduler, log });
  const payloadDue = (p: Record<string, unknown>) => DateTime.fromISO(String(p.dueAt), { zone: "utc" });
  scheduler
    .on(OUTAGE_JOBS.updateDue, (job, ctx) =>
      services.outages.onUpdateDue(Number(job.payload.outageId), payloadDue(job.payload), ctx.lateMinutes),
    )
    .on(OUTAGE_JOBS.reminder, (job) =>
      services.outages.onReminder(Number(job.payload.outageId), payloadDue(job.payload)),
    )
    .on(TICKET_JOBS.warning, async (job) => {
      const t = await store.tickets.get(Number(job.payload.ticketId));
      if (!t) return;
      await timers.warn(t, String(job.payload.target), String(job.payload.due));
      // The SLA state changed with time (at risk, overdue): its owner's desk says so.
      homes.touched({ subjects: [ref(t.id)], people: [t.ownerId] });
      await timers.sync(t, DateTime.fromISO(String(job.payload.due))); // the next deadline's warning, if any
    })
    .on(FOLLOW_UP_JOBS.reminder, (job) => followUps.onReminder(Number(job.payload.ticketId), payloadDue(job.payload)))
    .on(FOLLOW_UP_JOBS.due, (job) => followUps.onDue(Number(job.payload.ticketId), payloadDue(job.payload)))
    .on(ESCALATION_JOBS.followUp, (job) => services.escalations.onFollowUp(Number(job.payload.escalationId)))
    .on(SLA_REPORT_JOBS.weekly, (job, ctx) => reports.onWeekly(job.payload, ctx.lateMinutes))
    .on(TICKET_JOBS.autoClose, async (job) => {
      const closed = await services.tickets.autoClose(Number(job.payload.ticketId), SYSTEM_ACTOR);
      if (!closed) return;
      await timers.autoClosed(closed);
      await requester.autoClosed(closed);
    });
  const acks = new AckPressure();
  const resyncTimers = async () => {
    // Every ticket not closed: open ones (warnings) and resolved ones (auto-close), a batch at a
    // time (never every ticket in memory at once), each after the acks waiting (it runs while the
    // surfaces already answer).
    let live = 0;
    for await (const batch of tickets.live(RESYNC_BATCH)) {
      await acks.quiet();
      await timers.resync(batch);
      live += batch.length;
    }
    // Outages' promised updates and reminders, escalations' follow-ups: no cadence left silent.
    return {
      tickets: live,
      outages: await outages.resyncTimers(),
      escalations: await escalations.resyncTimers(),
      slaReports: await reports.resync(),
    };
  };
  const dispatchers = new Set<OutboxDispatcher>();
  return {
    acks,
    homes,
    resyncTimers,
    leaseMs: deps.leaseMs ?? 60_000,
    services,
    store,
    scheduler,
    metrics,
    ...(log ? { log } : {}),
    context: (actor, lang, channel) => ({
      actor,
      services,
      texts: texts(lang ?? policy.language, policy.timezone, clock),
      ...(channel ? { channel } : {}),
    }),
    dispatcher: (senders, opts = {}) => {
      const dispatcher = new OutboxDispatcher(store.outbox, senders, clock, {
        ...(log ? { log } : {}),
        ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
        ...(opts.worker ? { worker: opts.worker } : deps.worker ? { worker: deps.worker } : {}),
        alerts: delivery,
        failed: (platform, kind) => metrics.postFailed(platform, kind),
        // Cards and replies go out between bursts of requests, not while people wait for their ack.
        stepAside: () => acks.quiet(),
      });
      for (const platform of Object.keys(senders)) metrics.sendsTo(platform);
      if (opts.prompt !== false) dispatchers.add(dispatcher);
      return dispatcher;
    },
    poke: () => {
      for (const d of dispatchers) d.poke();
    },
  };
}
