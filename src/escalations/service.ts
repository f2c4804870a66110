import { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { escalationChannel, isManager, type Policy } from "../config/policy.ts";
import { RelaisError } from "../errors.ts";
import { authorize, type AuthorityAction } from "../authority.ts";
import type { Texts } from "../i18n/index.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import { addDuration, type PolicyDuration } from "../sla/duration.ts";
import { retryOnStale } from "../retry.ts";
import { LONG_MAX, optionalText, SHORT_MAX, sentence } from "../text.ts";
import { ref, type Ticket } from "../tickets/model.ts";
import type { TicketService } from "../tickets/service.ts";
import type { OutageService } from "../outages/service.ts";
import { outageRef, type Outage } from "../outages/model.ts";
import type { ChannelRef } from "../channel-ref.ts";
import type { OneVoice } from "../tickets/one-voice.ts";
import type { AwaitingEscalation } from "../tickets/views.ts";
import { decidedOption, plainOption } from "./options.ts";
import { chronologyText, type ChronologyEvent } from "./chronology.ts";
import { SYSTEM_ACTOR, type Actor, type EventKind } from "../timeline/events.ts";
import type { EscalationRepository } from "./escalation-repository.ts";
import { escalationRef, type Direction, type Escalation, type EscalationType, type UrgencyLevel } from "./model.ts";
import { checkPreciseRequest } from "./request.ts";
import { decisionMessage, followUpMessage, noteMessage, subjectLine, threadMessage } from "./note.ts";

export interface EscalationInput {
  type: EscalationType;
  direction: Direction;
  targetTeam?: string;
  why?: string;
  context?: string;
  facts?: string;
  evidence?: string;
  actionsTaken?: string;
  request?: string;
  urgency: UrgencyLevel;
  impact?: string;
  deadline?: string;
  recommendation?: string;
  nextUpdate?: DateTime;
}

export interface EscalationDeps {
  escalations: EscalationRepository;
  tickets: TicketService;
  /** The outage linked to a ticket: its timeline feeds the note's facts, its channels hear the escalation. */
  outages: OutageService;
  /** The handover a decision naming a new owner starts (rule 6: complete when accepted). */
  voice: OneVoice;
  jobs: JobRepository;
  outbox: OutboxRepository;
  clock: Clock;
  policy: Policy;
  texts: Texts;
}

export const ESCALATION_JOBS = { followUp: "escalation.follow_up" } as const;

/**
 * Escalation without ping-pong (PRODUCT.md rules 7, 8; seeds 003, 004): a complete note passing
 * the 3W check, posted in the escalation channel; acknowledgement, questions and the decision live
 * in its thread; silence is followed up; only managers decide, once; the owner announces it once.
 */
export class EscalationService {
  constructor(private readonly d: EscalationDeps) {}

  /**
   * The escalation channel of `actor`'s platform, where their note goes (the policy's, per platform);
   * refused before anything is asked or written when the policy names none there.
   */
  channelFor(actor: Actor): string {
    const { platform } = platformOf(actor.id);
    const channel = escalationChannel(this.d.policy, platform);
    if (!channel) throw new RelaisError("no_escalation_channel", { platform });
    return channel;
  }

  /**
   * The note as it will be sent, or the refusal of the 3W check naming the form's fields that are
   * missing (checked when the form is submitted, beside those fields, and again when it is sent).
   */
  async prepareNote(actor: Actor, ticketId: number, input: EscalationInput) {
    const t = await this.d.tickets.get(ticketId);
    // The escalating technician is the ticket's owner, and stays so until the receiving side confirms (rule 7).
    this.d.tickets.allow(actor, t, "escalate");
    const text = (field: string, v: string | undefined, max = LONG_MAX) => optionalText(field, v, max, true);
    const note = {
      targetTeam: text("targetTeam", input.targetTeam, SHORT_MAX),
      why: text("why", input.why),
      // Fields already known from the ticket are filled in (rule 7): the form only adds to them.
      context: text("context", input.context) ?? ticketContext(t),
      facts: text("facts", input.facts),
      evidence: text("evidence", input.evidence),
      actionsTaken: text("actionsTaken", input.actionsTaken),
      request: text("request", input.request),
      impact:
        text("escalationImpact", input.impact) ?? (t.impact ? this.d.texts.t(`choice.impact.${t.impact}`) : undefined),
      deadline: text("deadline", input.deadline, SHORT_MAX),
      recommendation: text("recommendation", input.recommendation),
    };
    const now = this.d.clock.now();
    // The "when" of 3W: left empty on a ticket linked to an ongoing outage, it is the outage's
    // promised next update — the time the affected channels already hold (one story, one time).
    const promised = (await this.linkedOutage(t))?.nextUpdateDue;
    const nextUpdate = input.nextUpdate ?? (promised && promised > now ? promised : undefined);
    // The 3W check (seed 003): why, to whom, when is the next update — and a precise request.
    // [the form's field id, its label]
    const missing = (
      [
        [!note.why, "why", "why"],
        [!note.targetTeam, "targetTeam", "targetTeam"],
        [!nextUpdate, "nextUpdate", "nextUpdate"],
        [!note.request, "request", "request"],
        [!note.context, "context", "context"],
        [!note.facts, "facts", "facts"],
        [!note.impact, "impact", "escalationImpact"],
      ] as const
    ).filter(([absent]) => absent);
    if (missing.length > 0)
      throw new RelaisError("three_w_missing", {
        missing: missing.map(([, , label]) => this.d.texts.t(`field.${label}`)).join(", "),
        fields: missing.map(([, id]) => id).join(","),
      });
    checkPreciseRequest(note.request!);
    if (nextUpdate! <= now)
      throw new RelaisError("time_in_past", { time: this.d.texts.time(nextUpdate!), field: "nextUpdate" });
    return { t, note, nextUpdate: nextUpdate as DateTime };
  }

  async escalate(actor: Actor, ticketId: number, input: EscalationInput): Promise<Escalation> {
    const { t, note, nextUpdate } = await this.prepareNote(actor, ticketId, input);
    const channel = this.channelFor(actor);
    const now = this.d.clock.now();
    // Lifecycle first: escalating a resolved or closed ticket is refused before anything is written.
    await this.d.tickets.record(actor, ticketId, {
      kind: "escalated",
      action: "escalate",
      data: { type: input.type, direction: input.direction, targetTeam: note.targetTeam },
    });
    const owner = platformOf(actor.id);
    const draft = {
      ticketId,
      type: input.type,
      direction: input.direction,
      targetTeam: note.targetTeam!,
      why: note.why!,
      context: note.context!,
      facts: note.facts!,
      ...(note.evidence ? { evidence: note.evidence } : {}),
      ...(note.actionsTaken ? { actionsTaken: note.actionsTaken } : {}),
      request: note.request!,
      urgency: input.urgency,
      impact: note.impact!,
      ...(note.deadline ? { deadline: note.deadline } : {}),
      ...(note.recommendation ? { recommendation: note.recommendation } : {}),
      nextUpdateAt: nextUpdate,
      status: "sent" as const,
      ownerId: actor.id,
      ownerName: actor.name,
      platform: owner.platform,
      channel,
      createdAt: now,
    };
    const e = await this.d.escalations.create({
      ...draft,
      subject: subjectLine(
        this.d.texts,
        { ...draft, id: 0, followUps: 0, version: 0, subject: "" },
        t,
        this.d.policy.timezone,
      ),
    });
    const withSubject = await this.d.escalations.update(
      e.id,
      { subject: subjectLine(this.d.texts, e, t, this.d.policy.timezone) },
      e.version,
    );
    await this.d.outbox.enqueue(
      {
        platform: e.platform,
        channel: e.channel,
        key: noteKey(e.id),
        reply: noteMessage(this.d.texts, withSubject, t),
      },
      now,
    );
    await this.scheduleFollowUp(withSubject, t);
    await this.tellInvolved(withSubject, t);
    return withSubject;
  }

  /**
   * The facts the note's form proposes: the chronology of the ticket and of its linked outage, in
   * the reader's language (`x`), times in the policy's zone.
   */
  async factsDraft(ticketId: number, x: Texts): Promise<string> {
    const t = await this.d.tickets.get(ticketId);
    const events: ChronologyEvent[] = (await this.d.tickets.timeline(ticketId)).map((e) => ({
      at: e.at,
      subject: ref(t.id),
      kind: e.kind,
      who: e.actor.name,
      ...(e.reason ? { reason: e.reason } : {}),
      data: e.data,
    }));
    if (t.outageId !== undefined) {
      for (const e of await this.d.outages.timeline(t.outageId)) {
        events.push({
          at: e.at,
          subject: outageRef(t.outageId),
          kind: e.kind,
          who: e.actor.name,
          ...(e.reason ? { reason: e.reason } : {}),
          data: e.data,
        });
      }
    }
    return chronologyText(x, events, t.title);
  }

  async get(id: number): Promise<Escalation> {
    const e = await this.d.escalations.get(id);
    if (!e) throw new RelaisError("escalation_not_found", { ref: escalationRef(id) });
    return e;
  }

  /** The receiving side acknowledges, with the time it will come back by (seed 003, étape 4). */
  async acknowledge(actor: Actor, id: number, eta: DateTime | undefined): Promise<Escalation> {
    return retryOnStale(async () => {
      const e = await this.checkStep(actor, id, "ack");
      if (!eta) throw new RelaisError("field_required", { field: "field.ackEta" });
      if (eta <= this.d.clock.now()) throw new RelaisError("time_in_past", { time: this.d.texts.time(eta) });
      const updated = await this.d.escalations.update(
        id,
        { status: "acknowledged", ackById: actor.id, ackByName: actor.name, ackEta: eta },
        e.version,
      );
      await this.d.jobs.cancel(followUpKey(id));
      // The acknowledgement says who the single contact is: the ticket's owner, until a handover
      // is accepted (rule 6, seed 003 "parler d'une seule voix").
      const t = await this.d.tickets.get(e.ticketId);
      await this.thread(
        updated,
        `ack-${updated.version}`,
        threadMessage(this.d.texts, "escalation.acknowledged_contact", {
          who: actor.name,
          eta: this.d.texts.moments()(eta),
          ref: escalationRef(id),
          owner: t.ownerName ?? e.ownerName,
        }),
      );
      await this.onTicket(actor, e, { kind: "escalation_acknowledged", data: { eta: eta.toISO() } });
      return updated;
    });
  }

  /** The receiving side asks for information; the technician is notified and answers in the thread. */
  async requestInfo(actor: Actor, id: number, questionText: string | undefined): Promise<Escalation> {
    return retryOnStale(async () => {
      const e = await this.checkStep(actor, id, "info");
      const question = required("question", questionText);
      const updated = await this.d.escalations.update(id, { status: "info_requested" }, e.version);
      await this.thread(
        updated,
        `info-${updated.version}`,
        threadMessage(this.d.texts, "escalation.info_requested", {
          who: actor.name,
          question,
          owner: e.ownerName,
          ref: escalationRef(id),
        }),
      );
      await this.d.outbox.enqueue(
        {
          ...platformOf(e.ownerId),
          key: `${escalationRef(id)}:info-dm-${updated.version}`,
          reply: threadMessage(this.d.texts, "escalation.info_requested_dm", {
            who: actor.name,
            question,
            ref: escalationRef(id),
            ticket: ref(e.ticketId),
          }),
        },
        this.d.clock.now(),
      );
      await this.onTicket(actor, e, { kind: "info_requested", reason: question });
      return updated;
    });
  }

  /** The technician's answer amends the note (appended to its facts) and goes in the thread. */
  async answerInfo(actor: Actor, id: number, answerText: string | undefined): Promise<Escalation> {
    return retryOnStale(async () => {
      const e = await this.checkStep(actor, id, "answer");
      const answer = required("answer", answerText);
      const updated = await this.d.escalations.update(
        id,
        {
          facts: `${e.facts}\n${this.d.texts.time(this.d.clock.now())} : ${answer}`.slice(0, 4000),
          status: e.ackById ? "acknowledged" : "sent",
        },
        e.version,
      );
      await this.thread(
        updated,
        `answer-${updated.version}`,
        threadMessage(this.d.texts, "escalation.info_provided", { who: actor.name, answer, ref: escalationRef(id) }),
      );
      await this.onTicket(actor, e, { kind: "info_provided", reason: answer });
      return updated;
    });
  }

  /** Refuses, before a form opens, an escalation that is unknown or already decided. */
  async checkOpen(id: number): Promise<void> {
    await this.open(id);
  }

  /**
   * Who may take a step in the thread (PRODUCT "Authority", src/authority.ts): acknowledging or
   * asking for information is for anyone but the note's author (the receiving side); answering an
   * information request is for the ticket's owner (one voice). Checked before a form opens and
   * again when the step runs; a refusal names who may and changes nothing.
   */
  async checkStep(actor: Actor, id: number, step: "ack" | "info" | "answer"): Promise<Escalation> {
    const e = await this.open(id);
    await this.allow(actor, e, STEP_ACTIONS[step]);
    return e;
  }

  /**
   * The authority table on escalation `e`: its author is the note's, its owner the ticket's (the
   * note's author while the ticket has none). Throws the refusal naming who may.
   */
  private async allow(actor: Actor, e: Escalation, action: AuthorityAction): Promise<Ticket> {
    const t = await this.d.tickets.get(e.ticketId);
    authorize(
      action,
      { actorId: actor.id, manager: this.isManager(actor), ownerId: t.ownerId ?? e.ownerId, authorId: e.ownerId },
      {
        // The announcement is the ticket's: its refusal names the ticket's owner "of T-<n>".
        ref: action === "announce" ? ref(t.id) : escalationRef(e.id),
        ticket: ref(t.id),
        owner: t.ownerName ?? e.ownerName,
        team: e.targetTeam,
      },
    );
    return t;
  }

  /** What decide() would refuse before its form opens: unknown, not a manager, already decided. */
  async checkDecision(actor: Actor, id: number): Promise<void> {
    const e = await this.get(id);
    await this.allow(actor, e, "decide");
    if (e.status === "decided")
      throw new RelaisError("already_decided", {
        ref: escalationRef(id),
        option: e.decisionOption ?? "",
        who: e.decidedByName ?? "",
      });
  }

  /** Only managers decide (policy list or role), once: option, rationale, and who owns what follows. */
  async decide(
    actor: Actor,
    id: number,
    input: { option?: string; rationale?: string; owner?: string; newOwner?: Actor },
  ): Promise<Escalation> {
    return retryOnStale(async () => {
      await this.checkDecision(actor, id);
      const e = await this.get(id);
      const option = optionalText("option", input.option, SHORT_MAX);
      const rationale = optionalText("rationale", input.rationale, LONG_MAX, true);
      const owner = optionalText("decisionOwner", input.owner, SHORT_MAX);
      if (!option) throw new RelaisError("field_required", { field: "field.option" });
      if (!rationale) throw new RelaisError("field_required", { field: "field.rationale" });
      if (!owner) throw new RelaisError("field_required", { field: "field.decisionOwner" });
      // Announced in plain words: a bare letter takes its text from the note's recommendation.
      const stored = decidedOption(id, option, e.recommendation);
      const t = await this.d.tickets.get(e.ticketId);
      const handover = input.newOwner && input.newOwner.id !== t.ownerId ? input.newOwner : undefined;
      const updated = await this.d.escalations.update(
        id,
        {
          status: "decided",
          decisionOption: stored,
          decisionRationale: rationale,
          decisionOwner: handover?.name ?? input.newOwner?.name ?? owner,
          decidedById: actor.id,
          decidedByName: actor.name,
        },
        e.version,
      );
      await this.d.jobs.cancel(followUpKey(id));
      await this.thread(updated, "decided", decisionMessage(this.d.texts, updated, t.ownerName ?? e.ownerName));
      await this.onTicket(actor, e, {
        kind: "decided",
        reason: rationale,
        data: { option: stored, owner: updated.decisionOwner },
      });
      // A new owner named by the decision: the handover starts, pending their acceptance; the
      // current owner stays answerable until then (rule 6). Decided once, so proposed once.
      if (handover) await this.d.voice.propose(actor, { kind: "ticket", id: e.ticketId }, handover);
      // Whoever owns the ticket announces it once (one voice): a private prompt to do so.
      await this.d.outbox.enqueue(
        {
          ...platformOf(t.ownerId ?? e.ownerId),
          key: `${escalationRef(id)}:announce-prompt`,
          reply: threadMessage(this.d.texts, "escalation.announce_prompt", {
            ref: escalationRef(id),
            ticket: ref(e.ticketId),
          }),
        },
        this.d.clock.now(),
      );
      return updated;
    });
  }

  /**
   * Whoever owns the ticket when it is announced tells the decision once (rule 8), in plain words,
   * with the contact and the next update: to the affected channels of the linked outage, and in
   * the ticket's thread (the command's reply). The ticket's timeline holds it.
   */
  async announce(actor: Actor, id: number): Promise<{ escalation: Escalation; ticket: Ticket; text: string }> {
    const e = await this.get(id);
    if (e.status !== "decided") throw new RelaisError("not_decided", { ref: escalationRef(id) });
    const t = await this.allow(actor, e, "announce");
    const ownerId = t.ownerId ?? e.ownerId;
    const ownerName = t.ownerName ?? e.ownerName;
    const timeline = await this.d.tickets.timeline(e.ticketId);
    if (
      timeline.some(
        (ev) =>
          ev.kind === "decision_announced" && (ev.data as { escalation?: string }).escalation === escalationRef(id),
      )
    ) {
      throw new RelaisError("already_announced", { ref: escalationRef(id) });
    }
    const x = this.d.texts;
    const contact = t.pendingOwnerName
      ? x.t("escalation.pending_contact", { owner: ownerName, to: t.pendingOwnerName })
      : ownerId !== e.ownerId
        ? x.t("escalation.new_contact", { who: ownerName })
        : x.t("escalation.same_contact", { who: ownerName });
    const o = await this.linkedOutage(t);
    // The next update promised to the affected people: the outage's, else the ticket's, else the
    // note's 3W "when" — only one still to come; otherwise the owner has yet to set one.
    const next = [o?.nextUpdateDue, t.nextUpdateDue, e.nextUpdateAt].find((d) => d && d > this.d.clock.now());
    const text = x.t("escalation.announcement_next", {
      ticket: ref(e.ticketId),
      option: plainOption(e.decisionOption ?? ""),
      rationale: sentence(e.decisionRationale ?? ""),
      contact,
      next: next ? x.moments()(next) : x.t("summary.next_update_none"),
    });
    const ticket = await this.onTicket(actor, e, { kind: "decision_announced", reason: text });
    for (const c of o?.channels ?? []) await this.post(c, `${escalationRef(id)}:announced`, text);
    // The requester hears the decision from the team's one voice too, privately (seed 003).
    if (t.requesterId) await this.post(platformOf(t.requesterId), `${escalationRef(id)}:announced`, text);
    return { escalation: e, ticket, text };
  }

  /**
   * The escalation of a ticket still waiting for the receiving side to take it over, if any, as
   * the ticket's summary and three-part answer show it ("escalated, awaiting acknowledgement").
   */
  async awaiting(ticketId: number): Promise<AwaitingEscalation | undefined> {
    const all = await this.d.escalations.forTicket(ticketId);
    const e = all.filter((x) => x.status !== "decided" && !x.ackById).at(-1);
    return e ? { ref: escalationRef(e.id), team: e.targetTeam } : undefined;
  }

  /** No acknowledgement in time: a follow-up in the thread; after a second silence, go up a level. */
  async onFollowUp(id: number): Promise<void> {
    await retryOnStale(async () => {
      const e = await this.d.escalations.get(id);
      if (e?.status !== "sent") return;
      const updated = await this.d.escalations.update(id, { followUps: e.followUps + 1 }, e.version);
      const suggestHierarchical = updated.followUps >= 2 && e.direction === "functional";
      await this.thread(
        updated,
        `follow-up-${updated.followUps}`,
        followUpMessage(this.d.texts, updated, suggestHierarchical),
      );
      await this.onTicket(SYSTEM_ACTOR, e, { kind: "escalation_follow_up", data: { followUps: updated.followUps } });
      if (updated.followUps < 2) await this.scheduleFollowUp(updated, await this.d.tickets.get(e.ticketId));
    });
  }

  isManager(actor: Actor): boolean {
    return isManager(this.d.policy, actor);
  }

  /** Records a step of escalation `e` on its ticket's timeline, naming the escalation. */
  private onTicket(
    actor: Actor,
    e: Escalation,
    step: { kind: EventKind; reason?: string; data?: Record<string, unknown> },
  ): Promise<Ticket> {
    return this.d.tickets.record(actor, e.ticketId, {
      ...step,
      data: { escalation: escalationRef(e.id), ...step.data },
    });
  }

  /** The ongoing outage linked to a ticket, if any: its channels are the affected ones. */
  private async linkedOutage(t: Ticket): Promise<Outage | undefined> {
    if (t.outageId === undefined) return undefined;
    const o = await this.d.outages.get(t.outageId).catch(() => undefined);
    return o?.status === "ongoing" ? o : undefined;
  }

  /**
   * Seed 003 Script 1: while the specialists work, the affected channels hear at most one short
   * line — a specialist team is involved, the next update is unchanged, the contact stays. The
   * affected channels are those of the ticket's linked outage: they are who heard the announcement.
   * A ticket with no outage has no channel of its own in the outbox (its card and thread are posted
   * directly by the surfaces, README "Known limits"); its thread hears it from the /escalate reply.
   * Keyed by ticket and channel: a second escalation of the same ticket adds nothing.
   */
  private async tellInvolved(e: Escalation, t: Ticket): Promise<void> {
    const o = await this.linkedOutage(t);
    if (!o) return;
    const text = this.d.texts.t("escalation.involved", {
      subject: `${outageRef(o.id)} (${ref(t.id)})`,
      team: e.targetTeam,
      next: this.d.texts.moments()(o.nextUpdateDue),
      owner: o.ownerName,
    });
    for (const c of o.channels) await this.post(c, `${ref(t.id)}:specialists`, text);
  }

  /** One post to an affected channel, through the outbox, once per key and channel. */
  private async post(c: ChannelRef, key: string, text: string): Promise<void> {
    await this.d.outbox.enqueue(
      {
        ...c,
        key: `${key}:${c.platform}:${c.channel}`,
        reply: { blocks: [{ type: "text", text }], ephemeral: false },
      },
      this.d.clock.now(),
    );
  }

  private async open(id: number): Promise<Escalation> {
    const e = await this.get(id);
    if (e.status === "decided")
      throw new RelaisError("already_decided", {
        ref: escalationRef(id),
        option: e.decisionOption ?? "",
        who: e.decidedByName ?? "",
      });
    return e;
  }

  private async thread(
    e: Escalation,
    step: string,
    reply: Parameters<OutboxRepository["enqueue"]>[0]["reply"],
  ): Promise<void> {
    await this.d.outbox.enqueue(
      {
        platform: e.platform,
        channel: e.channel,
        key: `${escalationRef(e.id)}:${step}`,
        reply,
        threadKey: noteKey(e.id),
      },
      this.d.clock.now(),
    );
  }

  /**
   * Schedules again the follow-up of every note not yet acknowledged whose job is missing
   * (start-up: a crash between the note's write and its job's). Counted from the note's sending,
   * so a follow-up already due fires at once. Returns how many were missing.
   */
  async resyncTimers(): Promise<number> {
    let missing = 0;
    for (const e of await this.d.escalations.awaitingAcknowledgement(10_000)) {
      if (e.followUps >= 2 || (await this.d.jobs.pending(followUpKey(e.id)))) continue;
      const t = await this.d.tickets.get(e.ticketId);
      const delay = this.followUpDelay(e, t);
      let due = e.createdAt;
      for (let n = 0; n <= e.followUps; n++) due = addDuration(due, delay);
      await this.scheduleFollowUp(e, t, DateTime.max(due, this.d.clock.now()));
      missing++;
    }
    return missing;
  }

  /** 30 min for an incident (P1), 4 h for a VIP, 24 h otherwise (seed 003, from the policy). */
  private followUpDelay(e: Escalation, t: Ticket): PolicyDuration {
    const f = this.d.policy.escalation.followUp;
    return t.priority === "P1" ? f.incident : e.type === "vip" ? f.vip : f.standard;
  }

  private async scheduleFollowUp(e: Escalation, t: Ticket, at?: DateTime): Promise<void> {
    const now = this.d.clock.now();
    await this.d.jobs.schedule(
      {
        key: followUpKey(e.id),
        kind: ESCALATION_JOBS.followUp,
        // Elapsed time: a follow-up has no business calendar (a "bd" here is 24 h).
        dueAt: at ?? addDuration(now, this.followUpDelay(e, t)),
        payload: { escalationId: e.id },
      },
      now,
    );
  }
}

function ticketContext(t: Ticket): string {
  return [`${ref(t.id)} · ${t.title}`, t.requester, t.department, t.workstation, t.since, t.errorMessage]
    .filter(Boolean)
    .join(" — ");
}

const STEP_ACTIONS = { ack: "acknowledge", info: "ask_info", answer: "answer_info" } as const;

const noteKey = (id: number) => `${escalationRef(id)}:note`;
const followUpKey = (id: number) => `${escalationRef(id)}:follow-up`;

/** A multi-line answer the step cannot go without (a question, an answer). */
function required(field: "question" | "answer", text: string | undefined): string {
  const value = optionalText(field, text, LONG_MAX, true);
  if (!value) throw new RelaisError("field_required", { field: `field.${field}` });
  return value;
}
