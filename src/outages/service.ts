import { NO_UNIT, type UnitOfWork } from "../unit-of-work.ts";
import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { isManager, type Policy } from "../config/policy.ts";
import { authorize, authorizeAct, overrideData, type AuthorityAction, type Outcome } from "../authority.ts";
import { RelaisError } from "../errors.ts";
import type { Texts } from "../i18n/index.ts";
import type { Reply } from "../reply.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import { type JobPlan, type JobRepository, type JobSpec, unwritten, writePlan } from "../scheduler/job-repository.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import { subtractDuration } from "../sla/duration.ts";
import { retryOnStale } from "../retry.ts";
import { LONG_MAX, optionalText, requiredText, title as cleanTitle } from "../text.ts";
import { ref, type Stage } from "../tickets/model.ts";
import type { TicketService } from "../tickets/service.ts";
import type { Followers } from "../tickets/followers.ts";
import { priorityOf, type Assessment, type Priority } from "../tickets/priority.ts";
import { SYSTEM_ACTOR, type Actor } from "../timeline/events.ts";
import type { Logger } from "pino";
import {
  announcement,
  delayMessage,
  liveSummary,
  noChangeMessage,
  reminderMessage,
  resolvedMessage,
  statusMessage,
} from "./messages.ts";
import { incidentReport, type FollowUpLine } from "./report.ts";
import { roomName, type IncidentRooms } from "./rooms.ts";
import { outageRef, type Outage } from "./model.ts";
import { platformOf, type ChannelRef } from "../channel-ref.ts";
import type { OutagePatch, OutageRepository } from "./outage-repository.ts";

export interface DeclareInput {
  title: string;
  services: string;
  impact: string;
  assessment?: Assessment;
  workaround?: string;
  /** Affected channels: their ids as the command kit read them (src/kit/channels.ts), or a line of
   * names as typed ("#support, #compta", the domain's own callers). */
  channels: string | readonly string[];
  /** Where it was declared: the incident room. */
  room?: ChannelRef;
  /** The ticket it is declared from: linked to it, its announcement the ticket's first response. */
  fromTicket?: number;
}

export interface OutageUpdateInput {
  stage: Stage;
  nextAction: string;
  blocker?: string;
  cause?: string;
  estimate?: DateTime;
  nextUpdate?: DateTime;
  /** Why the next update is later than the priority's cadence (required then). */
  reason?: string;
}

export interface ResolveOutageInput {
  whatHappened: string;
  result: string;
  prevention?: string;
  followUp?: string;
}

export interface OutageDeps {
  outages: OutageRepository;
  jobs: JobRepository;
  outbox: OutboxRepository;
  sla: SlaClock;
  clock: Clock;
  policy: Policy;
  /** Texts in the policy's language: what affected channels read. */
  texts: Texts;
  /** The tickets an outage is declared from (links, first response). */
  tickets?: TicketService;
  /** The requesters of the linked tickets, who get each update privately. */
  followers?: Followers;
  log?: Logger;
  /** The outage's follow-up actions (src/outages/follow-ups.ts), listed with their state in the report. */
  followUps?: { of(outageId: number): Promise<FollowUpLine[]> };
  /** Where a command's writes commit together; platform calls (rooms) wait for its commit. */
  unit?: UnitOfWork;
}

export const OUTAGE_JOBS = { updateDue: "outage.update_due", reminder: "outage.reminder" } as const;

/**
 * Outages (PRODUCT.md rules 4, 9, 10; seed 001 "panne d'un serveur"): declare, inform every affected
 * channel on the priority's cadence, never miss a promised update, resolve into a report.
 * Every post goes through the outbox; every timed step is a stored job.
 */
export class OutageService {
  private readonly rooms = new Map<string, IncidentRooms>();

  private readonly unit: UnitOfWork;

  constructor(private readonly d: OutageDeps) {
    this.unit = d.unit ?? NO_UNIT;
  }

  /** A surface that can open incident rooms registers them here (Slack: a channel per outage). */
  registerRooms(platform: string, rooms: IncidentRooms): void {
    this.rooms.set(platform, rooms);
  }

  async declare(actor: Actor, input: DeclareInput): Promise<Outage> {
    const now = this.d.clock.now();
    const title = cleanTitle(input.title);
    const services = requiredText("services", input.services);
    const impact = requiredText("impactText", input.impact, LONG_MAX);
    const workaround = optionalText("workaroundText", input.workaround, LONG_MAX, true);
    const platform = platformOf(actor.id).platform;
    const ids = typeof input.channels === "string" ? parseChannels(input.channels) : [...new Set(input.channels)];
    const channels = ids.map((channel) => ({ platform, channel }));
    if (channels.length === 0) throw new RelaisError("no_channels");
    const priority: Priority = input.assessment ? priorityOf(input.assessment) : "P1";
    // Declared from a ticket: refused for an unknown or closed one before anything is written.
    const from =
      input.fromTicket !== undefined ? await this.d.tickets?.checkDeclarable(actor, input.fromTicket) : undefined;
    const outage = await this.d.outages.create(
      {
        title,
        services,
        impact,
        priority,
        ...(workaround ? { workaround } : {}),
        channels,
        ...(input.room ? { room: input.room } : {}),
        status: "ongoing",
        ownerId: actor.id,
        ownerName: actor.name,
        declaredAt: now,
        lastUpdateAt: now,
        nextUpdateDue: this.d.sla.nextUpdateDue(priority, now),
      },
      {
        at: now,
        actor,
        kind: "declared",
        data: {
          priority,
          channels: channels.map((c) => c.channel),
          services,
          impact,
          nextUpdateDue: this.d.sla.nextUpdateDue(priority, now).toISO(),
          ...(from ? { ticket: ref(from.id) } : {}),
        },
      },
    );
    const announced = announcement(this.d.texts, outage);
    await this.broadcast(outage, "declared", announced);
    await this.schedule(outage);
    // The link is on both records; the announcement just sent is the ticket's first response —
    // and the requesters of the ticket and of those under it get it privately, as they will each update.
    if (from) {
      await this.d.tickets?.linkOutage(actor, from.id, outage);
      await this.d.followers?.outage(outage, "declared", announced);
    }
    // Creating a room talks to the platform: not while the declaration's transaction is open.
    this.unit.afterCommit(() => this.openRoom(outage, announced));
    return outage;
  }

  async get(id: number): Promise<Outage> {
    const o = await this.d.outages.get(id);
    if (!o) throw new RelaisError("outage_not_found", { ref: outageRef(id) });
    return o;
  }

  ongoing(): Promise<Outage[]> {
    return this.d.outages.ongoing(50);
  }

  /** A status update by the owner, posted to every affected channel (seed 002 structure). */
  async update(actor: Actor, id: number, input: OutageUpdateInput): Promise<Outage> {
    return retryOnStale(async () => {
      const o = await this.getOngoing(id);
      // One voice (rule 6): only the owner posts to the affected channels (others: OneVoice's drafts).
      this.allow(actor, o, "outage_update", undefined, "act");
      const now = this.d.clock.now();
      const nextAction = requiredText("nextAction", input.nextAction, LONG_MAX, true);
      const blocker = optionalText("blocker", input.blocker, LONG_MAX, true);
      const cause = optionalText("cause", input.cause, LONG_MAX, true);
      const reason = optionalText("reason", input.reason, LONG_MAX);
      const cadenceDue = this.d.sla.nextUpdateDue(o.priority, now);
      const next = input.nextUpdate ?? cadenceDue;
      if (next <= now) throw new RelaisError("time_in_past", { time: this.d.texts.time(next) });
      // Promise the next step, not the resolution: a later update than the cadence is a choice to justify.
      if (next > cadenceDue && !reason)
        throw new RelaisError("later_update_needs_reason", {
          ref: outageRef(id),
          next: this.d.texts.time(next),
          cadence: this.d.texts.time(cadenceDue),
        });
      if (input.estimate && input.estimate <= now)
        throw new RelaisError("time_in_past", { time: this.d.texts.time(input.estimate) });
      const slipped = o.estimate !== undefined && input.estimate !== undefined && input.estimate > o.estimate;
      const patch: OutagePatch = {
        stage: input.stage,
        nextAction,
        blocker: blocker ?? null,
        ...(cause ? { cause } : {}),
        ...(input.estimate ? { estimate: input.estimate } : {}),
        lastUpdateAt: now,
        nextUpdateDue: next,
      };
      const updated = await this.d.outages.update(
        id,
        patch,
        {
          at: now,
          actor,
          kind: "updated",
          ...(reason ? { reason } : {}),
          data: {
            stage: input.stage,
            blocker: blocker ?? null,
            nextAction,
            cause: cause ?? null,
            estimate: input.estimate?.toISO() ?? null,
            previousEstimate: o.estimate?.toISO() ?? null,
            nextUpdateDue: next.toISO(),
          },
        },
        o.version,
      );
      // A later estimate is announced with the five blocks of seed 002, not discovered.
      const message = slipped
        ? delayMessage(this.d.texts, updated, o.estimate!, this.d.policy.outages.compensation)
        : statusMessage(this.d.texts, updated);
      await this.broadcast(updated, `update-${updated.version}`, message);
      await this.d.followers?.outage(updated, `update-${updated.version}`, message);
      await this.schedule(updated);
      await this.refreshRoom(updated);
      return updated;
    });
  }

  async resolve(actor: Actor, id: number, input: ResolveOutageInput): Promise<Outage> {
    return retryOnStale(async () => {
      const o = await this.getOngoing(id);
      const allowed = this.allow(actor, o, "outage_resolve", input.whatHappened);
      const now = this.d.clock.now();
      const patch: OutagePatch = {
        status: "resolved",
        resolvedAt: now,
        whatHappened: requiredText("whatHappened", input.whatHappened, LONG_MAX, true),
        result: requiredText("result", input.result, LONG_MAX, true),
        prevention: optionalText("prevention", input.prevention, LONG_MAX, true) ?? null,
        followUp: optionalText("followUp", input.followUp, LONG_MAX, true) ?? null,
      };
      const resolved = await this.d.outages.update(
        id,
        patch,
        { at: now, actor, kind: "resolved", data: { result: patch.result, ...overrideData(allowed, o.ownerName) } },
        o.version,
      );
      await this.d.jobs.cancel(jobKey(id, "due"));
      await this.d.jobs.cancel(jobKey(id, "reminder"));
      const restored = resolvedMessage(this.d.texts, resolved);
      await this.broadcast(resolved, "resolved", restored);
      // The requesters who heard the announcement and the updates hear the restoration too.
      await this.d.followers?.outage(resolved, "resolved", restored);
      await this.refreshRoom(resolved);
      await this.roomAction(resolved, async (rooms, room) => {
        const report = await this.report(resolved, this.d.texts);
        await rooms.attachReport(
          room,
          `${outageRef(id)}.md`,
          this.d.texts.t("report.title", { ref: outageRef(id), title: resolved.title }),
          report,
        );
      });
      return resolved;
    });
  }

  timeline(id: number) {
    return this.d.outages.timeline(id);
  }

  /** The incident report from the whole story: the outage, its linked tickets and their escalations. */
  async report(o: Outage, texts: Texts): Promise<string> {
    const story = this.d.followers ? await this.d.followers.story(o.id) : undefined;
    const followUps = (await this.d.followUps?.of(o.id)) ?? [];
    return incidentReport(texts, o, await this.d.outages.timeline(o.id), story, followUps);
  }

  /**
   * A promised update is due and the owner has posted nothing since the last one: the affected
   * channels get the stable "no change since HH:MM, next update at HH:MM" (seed 002, "disque rayé"),
   * and the next one is promised on the cadence, counted from now (one late message after downtime).
   */
  async onUpdateDue(id: number, dueAt: DateTime, lateMinutes: number): Promise<void> {
    await retryOnStale(async () => {
      const o = await this.d.outages.get(id);
      if (o?.status !== "ongoing") return;
      // Already answered (an update, or an earlier attempt of this job that failed after its
      // write): only make sure the next promise has its job, so a cadence never stops silently.
      if (o.nextUpdateDue.toMillis() !== dueAt.toMillis()) return this.schedule(o);
      const now = this.d.clock.now();
      const next = this.d.sla.nextUpdateDue(o.priority, now);
      // The posts first (their keys make a retry a no-op), then the record, then the next job:
      // whichever write fails, the retry of this job finishes the rest and nothing is lost.
      await this.broadcast(
        { ...o, nextUpdateDue: next },
        `no-change-${dueAt.toMillis()}`,
        noChangeMessage(this.d.texts, { ...o, nextUpdateDue: next }, lateMinutes),
      );
      const updated = await this.d.outages.update(
        id,
        { nextUpdateDue: next },
        {
          at: now,
          actor: SYSTEM_ACTOR,
          kind: "no_change",
          data: { since: o.lastUpdateAt.toISO(), nextUpdateDue: next.toISO(), lateMinutes },
        },
        o.version,
      );
      await this.schedule(updated);
      await this.refreshRoom(updated);
    });
  }

  /**
   * Schedules again the promised update and the reminder of every ongoing outage (start-up): a
   * crash between an outage's write and its job's leaves no cadence silent. Returns how many.
   */
  async resyncTimers(): Promise<number> {
    const ongoing = await this.d.outages.ongoing(10_000);
    // Compared before written, as the tickets' timers are.
    for (const o of ongoing)
      await writePlan(this.d.jobs, await unwritten(this.d.jobs, this.timersOf(o)), this.d.clock.now());
    return ongoing.length;
  }

  /** Before each promised update, the owner is reminded privately. */
  async onReminder(id: number, dueAt: DateTime): Promise<void> {
    const o = await this.d.outages.get(id);
    if (o?.status !== "ongoing" || o.nextUpdateDue.toMillis() !== dueAt.toMillis()) return;
    const owner = platformOf(o.ownerId);
    await this.d.outbox.enqueue(
      { ...owner, key: `${outageRef(id)}:reminder:${dueAt.toMillis()}`, reply: reminderMessage(this.d.texts, o) },
      this.d.clock.now(),
    );
  }

  /**
   * The incident room, where the platform has them, opened once the declaration is committed; then
   * the room is recorded and gets the announcement. The declaring channel stays the room otherwise.
   */
  private async openRoom(o: Outage, announced: Reply): Promise<void> {
    const owner = platformOf(o.ownerId);
    const rooms = this.rooms.get(owner.platform);
    if (!rooms) return;
    try {
      const name = roomName(o.declaredAt.setZone(this.d.policy.timezone).toISODate()!, o.title);
      const { room, summaryId } = await rooms.open(name, owner.channel, liveSummary(this.d.texts, o));
      await this.unit.run(async () => {
        // The outage as it is now: it may have changed since the declaration.
        const current = await this.get(o.id);
        const withRoom = await this.d.outages.update(
          o.id,
          { room, ...(summaryId ? { summaryId } : {}) },
          { at: this.d.clock.now(), actor: SYSTEM_ACTOR, kind: "room_opened", data: { room: room.channel } },
          current.version,
        );
        await this.broadcast(withRoom, "declared", announced);
      });
    } catch (e) {
      // No room (missing scope, Slack down): the outage goes on in the channel it was declared in.
      this.d.log?.warn({ err: e, outage: outageRef(o.id) }, "could not open the incident room");
    }
  }

  /**
   * The room's pinned summary is edited in place through the outbox (issue 14): recorded now, sent in
   * the room's order with the outbox's retries and alerts; a burst of changes makes one edit. The
   * summary itself was posted (and pinned) when the room opened: it is recorded as sent first (a no-op
   * after the first time), so the edits find the message they replace.
   */
  private async refreshRoom(o: Outage): Promise<void> {
    if (!o.summaryId || !o.room) return;
    const now = this.d.clock.now();
    const key = `${outageRef(o.id)}:summary`;
    const summary = liveSummary(this.d.texts, o);
    await this.d.outbox.recordSent({ ...o.room, key, reply: summary }, o.summaryId, now);
    await this.d.outbox.enqueue({ ...o.room, key: `${key}:edit:${o.version}`, edits: key, reply: summary }, now);
  }

  private async roomAction(
    o: Outage,
    action: (rooms: IncidentRooms, room: ChannelRef) => Promise<void>,
  ): Promise<void> {
    const rooms = o.room ? this.rooms.get(o.room.platform) : undefined;
    const room = o.room;
    if (!rooms || !room) return;
    // A platform call: once the command's transaction has committed.
    this.unit.afterCommit(async () => {
      try {
        await action(rooms, room);
      } catch (e) {
        this.d.log?.warn({ err: e, outage: outageRef(o.id) }, "incident room not updated");
      }
    });
  }

  /** Records a proposed owner (rule 6); the current one stays answerable until acceptance. */
  async proposeOwner(actor: Actor, id: number, target: Actor): Promise<Outage> {
    return retryOnStale(async () => {
      const o = await this.getOngoing(id);
      const now = this.d.clock.now();
      return this.d.outages.update(
        id,
        { pendingOwnerId: target.id, pendingOwnerName: target.name },
        { at: now, actor, kind: "handover_proposed", data: { to: target.name, answerable: o.ownerName } },
        o.version,
      );
    });
  }

  /** Makes `owner` the outage's owner (accepted handover, or a manager's reassignment). */
  async setOwner(
    actor: Actor,
    id: number,
    owner: Actor,
    event: { kind: "handover_accepted" | "reassigned"; reason?: string },
  ): Promise<Outage> {
    return retryOnStale(async () => {
      const o = await this.getOngoing(id);
      const now = this.d.clock.now();
      return this.d.outages.update(
        id,
        { ownerId: owner.id, ownerName: owner.name, pendingOwnerId: null, pendingOwnerName: null },
        {
          at: now,
          actor,
          kind: event.kind,
          ...(event.reason ? { reason: event.reason } : {}),
          data: { from: o.ownerName, to: owner.name },
        },
        o.version,
      );
    });
  }

  /** Refuses, before a form opens, a resolution that would be refused once filled in. */
  async checkResolvable(actor: Actor, id: number): Promise<void> {
    // The form still asks what happened: a manager's reason may come with it.
    this.allow(actor, await this.getOngoing(id), "outage_resolve", "(form)");
  }

  /** The incident report, for the outage's owner or a manager (PRODUCT "Authority"). */
  async reportFor(actor: Actor, id: number, texts: Texts): Promise<string> {
    const o = await this.get(id);
    this.allow(actor, o, "outage_report");
    return this.report(o, texts);
  }

  /** The authority table (src/authority.ts) on outage `o`: allowed, a draft, or the refusal naming who may. */
  allow(actor: Actor, o: Outage, action: AuthorityAction, reason?: string, only?: "act"): Outcome {
    return (only ? authorizeAct : authorize)(
      action,
      {
        actorId: actor.id,
        manager: isManager(this.d.policy, actor),
        ownerId: o.ownerId,
        pendingOwnerId: o.pendingOwnerId,
        reason: (reason ?? "").trim() !== "",
      },
      { ref: outageRef(o.id), owner: o.ownerName },
    );
  }

  /** The outage if it is still ongoing (updates of anyone: the owner's go out, others' are drafts). */
  async getOngoing(id: number): Promise<Outage> {
    const o = await this.get(id);
    if (o.status !== "ongoing") throw new RelaisError("outage_already_resolved", { ref: outageRef(id) });
    return o;
  }

  /** Records one post per affected channel and the room, in the outbox (deduplicated by key). */
  private async broadcast(o: Outage, step: string, reply: Reply): Promise<void> {
    const now = this.d.clock.now();
    const targets = [
      ...o.channels,
      ...(o.room && !o.channels.some((c) => c.channel === o.room!.channel) ? [o.room] : []),
    ];
    for (const t of targets) {
      await this.d.outbox.enqueue({ ...t, key: `${outageRef(o.id)}:${step}:${t.platform}:${t.channel}`, reply }, now);
    }
  }

  private async schedule(o: Outage): Promise<void> {
    await writePlan(this.d.jobs, this.timersOf(o), this.d.clock.now());
  }

  /** The promised update's job and the owner's reminder before it (none when it would be past). */
  private timersOf(o: Outage): JobPlan {
    const update: JobSpec = {
      key: jobKey(o.id, "due"),
      kind: OUTAGE_JOBS.updateDue,
      dueAt: o.nextUpdateDue,
      payload: { outageId: o.id, dueAt: o.nextUpdateDue.toISO() },
    };
    const before = this.d.policy.outages.reminderBefore[o.priority];
    // Elapsed time before the promised update (a "bd" here is 24 h).
    const remindAt = subtractDuration(o.nextUpdateDue, before);
    if (remindAt <= this.d.clock.now()) return { schedule: [update], cancel: [jobKey(o.id, "reminder")] };
    const reminder: JobSpec = {
      key: jobKey(o.id, "reminder"),
      kind: OUTAGE_JOBS.reminder,
      dueAt: remindAt,
      payload: { outageId: o.id, dueAt: o.nextUpdateDue.toISO() },
    };
    return { schedule: [update, reminder], cancel: [] };
  }
}

function jobKey(id: number, what: "due" | "reminder"): string {
  return `${outageRef(id)}:${what}`;
}

/** "#support, #compta  C123" → ["support", "compta", "C123"] (distinct, at most 50). */
export function parseChannels(text: string): string[] {
  const names = text
    .split(/[\s,;]+/)
    .map((c) => c.replace(/^#/, "").trim())
    .filter((c) => /^[\p{L}\p{N}_.-]{1,80}$/u.test(c));
  return [...new Set(names)].slice(0, 50);
}
