import { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { RelaisError } from "../errors.ts";
import { authorize, type AuthorityAction, type Facts } from "../authority.ts";
import type { Texts } from "../i18n/index.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { Actor } from "../timeline/events.ts";
import { ref, type Stage, type Ticket } from "./model.ts";
import type { TicketService, UpdateInput } from "./service.ts";
import type { UpdateDraft, UpdateDraftRepository } from "./update-draft-repository.ts";
import type { OutageService, OutageUpdateInput } from "../outages/service.ts";
import { outageRef, type Outage } from "../outages/model.ts";

/** What `/owner` is about: a ticket (T-<n>) or an outage (INC-<n>). */
export interface Subject {
  kind: "ticket" | "outage";
  id: number;
}

/** "T-12" or "INC-3" (case and dash optional), or undefined. */
export function parseSubject(text: string): Subject | undefined {
  const m = /^(t|inc)-?(\d{1,9})$/i.exec(text.trim());
  return m ? { kind: m[1]!.toLowerCase() === "t" ? "ticket" : "outage", id: Number(m[2]) } : undefined;
}

/** How a person is named in a command they can type back: `<@U123>` (Slack, Discord), `@name` (shell). */
export function mentionOf(a: Actor): string {
  const [platform, id] = a.id.includes(":") ? a.id.split(":", 2) : ["shell", a.id];
  return platform === "slack" || platform === "discord" ? `<@${id}>` : `@${a.name}`;
}

export function draftRef(id: number): string {
  return `D-${id}`;
}

/**
 * One voice (rule 6, seed 003 "parler d'une seule voix"): only the owner's updates go out; anyone
 * else's becomes a draft sent privately to the owner. A handover completes when the new owner
 * accepts; until then the previous owner stays answerable. Managers reassign directly, with a reason.
 */
export class OneVoice {
  constructor(
    private readonly d: {
      tickets: TicketService;
      outages: OutageService;
      drafts: UpdateDraftRepository;
      outbox: OutboxRepository;
      clock: Clock;
      texts: Texts;
      isManager: (actor: Actor) => boolean;
    },
  ) {}

  /** The owner's update is applied; anyone else's becomes a draft for the owner. */
  async update(actor: Actor, id: number, input: UpdateInput): Promise<{ ticket: Ticket; draft?: UpdateDraft }> {
    const t = await this.d.tickets.check(id, "update");
    // An unowned ticket has nobody to draft for: the update is the first voice.
    if (!t.ownerId || this.d.tickets.allow(actor, t, "update").result === "allowed")
      return { ticket: await this.d.tickets.update(actor, id, input) };
    const draft = await this.draft(actor, t.ownerId, { ticketId: id }, ref(id), input, {
      ...(input.lastAction ? { lastAction: input.lastAction } : {}),
    });
    return { ticket: t, draft };
  }

  /** The outage owner's update goes to every affected channel; anyone else's is a draft for the owner. */
  async updateOutage(
    actor: Actor,
    id: number,
    input: OutageUpdateInput,
  ): Promise<{ outage: Outage; draft?: UpdateDraft }> {
    const o = await this.d.outages.getOngoing(id);
    if (this.d.outages.allow(actor, o, "outage_update").result === "allowed")
      return { outage: await this.d.outages.update(actor, id, input) };
    const draft = await this.draft(actor, o.ownerId, { outageId: id }, outageRef(id), input, {
      ...(input.cause ? { cause: input.cause } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.estimate ? { estimate: input.estimate.toISO()! } : {}),
    });
    return { outage: o, draft };
  }

  /**
   * Someone else's update, stored as a draft and sent privately to the owner. `own` holds the
   * fields only a ticket's or only an outage's update has.
   */
  private async draft(
    author: Actor,
    ownerId: string,
    about: { ticketId: number } | { outageId: number },
    subject: string,
    input: UpdateInput | OutageUpdateInput,
    own: Partial<UpdateDraft["payload"]>,
  ): Promise<UpdateDraft> {
    const draft = await this.d.drafts.create({
      ...about,
      authorId: author.id,
      authorName: author.name,
      payload: {
        stage: input.stage,
        nextAction: input.nextAction,
        ...(input.blocker ? { blocker: input.blocker } : {}),
        ...own,
        ...(input.nextUpdate ? { nextUpdate: input.nextUpdate.toISO()! } : {}),
      },
      createdAt: this.d.clock.now(),
    });
    await this.sendDraft(ownerId, draft, subject, author, input.stage, input.nextAction);
    return draft;
  }

  /**
   * `/ticket take` (and the card's Take button): the owner's first take or a technician's take of an
   * unowned ticket moves it; anyone else's is a handover request sent privately to the owner, who
   * stays answerable (rule 6); a manager giving a reason takes it at once, recorded as a reassignment.
   */
  async take(actor: Actor, id: number, reason?: string): Promise<{ ticket: Ticket; requested?: true }> {
    const t = await this.d.tickets.check(id, "take");
    if (t.ownerId === actor.id || !t.ownerId) return { ticket: await this.d.tickets.take(actor, id) };
    const d = this.d.tickets.allow(actor, t, "take_owned", reason);
    if (d.result === "allowed") {
      const ticket = await this.d.tickets.setOwner(actor, id, actor, { kind: "reassigned", reason: reason! });
      await this.outageFollows(actor, id, t.ownerId, actor, "reassigned", reason);
      return { ticket };
    }
    await this.tell(
      { id: t.ownerId, name: t.ownerName ?? "" },
      `${ref(id)}:take-request:${actor.id}:${t.version}`,
      this.d.texts.t("voice.take_requested", {
        who: actor.name,
        ref: ref(id),
        title: t.title,
        mention: mentionOf(actor),
      }),
    );
    return { ticket: t, requested: true };
  }

  /** The draft as the owner may edit it (times as typed in the policy's zone). */
  async draftFor(actor: Actor, draftId: number): Promise<UpdateDraft> {
    return this.pendingOwned(actor, draftId);
  }

  /**
   * The owner publishes a draft as their own update (recorded with its author); with `edited`,
   * the owner's corrected version is published instead.
   */
  async approve(
    actor: Actor,
    draftId: number,
    edited?: UpdateDraft["payload"],
  ): Promise<{ ticket?: Ticket; outage?: Outage }> {
    const draft = await this.pendingOwned(actor, draftId);
    if (!(await this.d.drafts.settle(draftId, "approved")))
      throw new RelaisError("draft_settled", { ref: draftRef(draftId) });
    const p = edited ? { ...draft.payload, ...edited } : draft.payload;
    const later = (iso: string | undefined) =>
      iso && DateTime.fromISO(iso) > this.d.clock.now() ? DateTime.fromISO(iso) : undefined;
    if (draft.outageId !== undefined) {
      const nextUpdate = later(p.nextUpdate);
      const estimate = later(p.estimate);
      return {
        outage: await this.d.outages.update(actor, draft.outageId, {
          stage: p.stage as Stage,
          nextAction: p.nextAction,
          ...(p.blocker ? { blocker: p.blocker } : {}),
          ...(p.cause ? { cause: p.cause } : {}),
          ...(p.reason ? { reason: p.reason } : {}),
          ...(estimate ? { estimate } : {}),
          ...(nextUpdate ? { nextUpdate } : {}),
        }),
      };
    }
    const ticket = await this.d.tickets.update(actor, draft.ticketId!, {
      stage: p.stage as Stage,
      nextAction: p.nextAction,
      ...(p.blocker ? { blocker: p.blocker } : {}),
      lastAction: [
        p.lastAction,
        this.d.texts.t(edited ? "voice.edited_from" : "voice.drafted_by", { author: draft.authorName }),
      ]
        .filter(Boolean)
        .join(" — "),
      ...(later(p.nextUpdate) ? { nextUpdate: later(p.nextUpdate)! } : {}),
    });
    return { ticket };
  }

  async reject(actor: Actor, draftId: number, reason?: string): Promise<UpdateDraft> {
    const draft = await this.pendingOwned(actor, draftId);
    if (!(await this.d.drafts.settle(draftId, "rejected")))
      throw new RelaisError("draft_settled", { ref: draftRef(draftId) });
    await this.d.outbox.enqueue(
      {
        ...platformOf(draft.authorId),
        key: `${draftRef(draftId)}:rejected`,
        reply: {
          blocks: [
            {
              type: "text",
              text: this.d.texts.t("voice.draft_rejected", {
                draft: draftRef(draftId),
                ref: this.subjectOf(draft),
                owner: actor.name,
                reason: reason ?? "—",
              }),
            },
          ],
          ephemeral: false,
        },
      },
      this.d.clock.now(),
    );
    return draft;
  }

  /**
   * Proposes `target` as owner of a ticket or an outage. A manager giving a reason reassigns at
   * once; anyone else's proposal waits for the target to accept, and the current owner stays
   * answerable meanwhile. Only the owner (or a manager) proposes.
   */
  async propose(
    actor: Actor,
    subject: Subject,
    target: Actor,
    reason?: string,
  ): Promise<{ ref: string; direct: boolean; owner: string }> {
    const s = await this.subject(subject);
    if (s.ownerId === target.id) throw new RelaisError("already_owner", { ref: s.ref });
    this.allow(actor, s, "propose_owner");
    if (reason && this.d.isManager(actor)) {
      const version =
        subject.kind === "ticket"
          ? (await this.d.tickets.setOwner(actor, subject.id, target, { kind: "reassigned", reason })).version
          : (await this.d.outages.setOwner(actor, subject.id, target, { kind: "reassigned", reason })).version;
      if (subject.kind === "ticket")
        await this.outageFollows(actor, subject.id, s.ownerId, target, "reassigned", reason);
      await this.tell(
        target,
        `${s.ref}:reassigned:${version}`,
        this.d.texts.t("voice.reassigned_to_you", { ref: s.ref, who: actor.name, reason }),
      );
      return { ref: s.ref, direct: true, owner: s.ownerName };
    }
    const version =
      subject.kind === "ticket"
        ? (await this.d.tickets.proposeOwner(actor, subject.id, target)).version
        : (await this.d.outages.proposeOwner(actor, subject.id, target)).version;
    await this.d.outbox.enqueue(
      {
        ...platformOf(target.id),
        key: `${s.ref}:handover:${version}`,
        reply: {
          blocks: [
            {
              type: "text",
              // The current owner stays answerable until acceptance, whoever proposed (a manager may).
              text: this.d.texts.t("voice.handover_to_you", {
                ref: s.ref,
                who: actor.name,
                owner: s.ownerName || actor.name,
                title: s.title,
              }),
            },
            {
              type: "actions",
              actions: [{ id: "owner_accept", label: this.d.texts.t("voice.button.accept"), value: s.ref }],
            },
          ],
          ephemeral: false,
        },
      },
      this.d.clock.now(),
    );
    return { ref: s.ref, direct: false, owner: s.ownerName };
  }

  /** The proposed owner accepts: the handover is complete. */
  async accept(actor: Actor, subject: Subject): Promise<{ ref: string; owner: string }> {
    const s = await this.subject(subject);
    this.allow(actor, s, "accept_handover");
    if (subject.kind === "ticket") {
      await this.d.tickets.setOwner(actor, subject.id, actor, { kind: "handover_accepted" });
      await this.outageFollows(actor, subject.id, s.ownerId, actor, "handover_accepted");
    } else await this.d.outages.setOwner(actor, subject.id, actor, { kind: "handover_accepted" });
    return { ref: s.ref, owner: actor.name };
  }

  /**
   * One voice across linked records (issue 12): the outage declared from a ticket is spoken for by
   * the ticket's owner. When the ticket changes hands (accepted handover, manager's reassignment),
   * the ongoing outage follows — but only if the previous ticket owner was also the outage's owner:
   * an outage someone else took over keeps its owner, and the handover stays theirs to make. The
   * outage records the same step on its own timeline; no second acceptance is asked for, since the
   * new owner accepted the story, not half of it.
   */
  private async outageFollows(
    actor: Actor,
    ticketId: number,
    previousOwnerId: string | undefined,
    to: Actor,
    kind: "handover_accepted" | "reassigned",
    reason?: string,
  ): Promise<void> {
    const t = await this.d.tickets.get(ticketId);
    if (t.outageId === undefined || !previousOwnerId) return;
    const o = await this.d.outages.get(t.outageId).catch(() => undefined);
    if (o?.status !== "ongoing" || o.ownerId !== previousOwnerId || o.ownerId === to.id) return;
    await this.d.outages.setOwner(actor, o.id, to, { kind, ...(reason ? { reason } : {}) });
  }

  private async subject(
    subject: Subject,
  ): Promise<{ ref: string; title: string; ownerId?: string; ownerName: string; pendingOwnerId?: string }> {
    if (subject.kind === "outage") {
      const o = await this.d.outages.getOngoing(subject.id);
      return {
        ref: outageRef(o.id),
        title: o.title,
        ownerId: o.ownerId,
        ownerName: o.ownerName,
        ...(o.pendingOwnerId ? { pendingOwnerId: o.pendingOwnerId } : {}),
      };
    }
    const t = await this.d.tickets.check(subject.id, "take");
    return {
      ref: ref(t.id),
      title: t.title,
      ...(t.ownerId ? { ownerId: t.ownerId } : {}),
      ownerName: t.ownerName ?? "",
      ...(t.pendingOwnerId ? { pendingOwnerId: t.pendingOwnerId } : {}),
    };
  }

  /** The reference a draft is about: T-<n> or INC-<n>. */
  subjectOf(draft: UpdateDraft): string {
    return draft.outageId !== undefined ? outageRef(draft.outageId) : ref(draft.ticketId!);
  }

  private async pendingOwned(actor: Actor, draftId: number): Promise<UpdateDraft> {
    const draft = await this.d.drafts.get(draftId);
    if (!draft) throw new RelaisError("draft_not_found", { ref: draftRef(draftId) });
    if (draft.status !== "pending") throw new RelaisError("draft_settled", { ref: draftRef(draftId) });
    const owner =
      draft.outageId !== undefined
        ? await this.d.outages.get(draft.outageId)
        : await this.d.tickets.get(draft.ticketId!);
    this.allow(
      actor,
      { ref: this.subjectOf(draft), ownerId: owner.ownerId, ownerName: owner.ownerName ?? "" },
      "draft",
    );
    return draft;
  }

  /** The authority table (src/authority.ts) on a ticket or an outage, as `subject()` describes it. */
  private allow(
    actor: Actor,
    s: { ref: string; ownerId?: string | undefined; ownerName: string; pendingOwnerId?: string | undefined },
    action: AuthorityAction,
  ): void {
    const facts: Facts = {
      actorId: actor.id,
      manager: this.d.isManager(actor),
      ownerId: s.ownerId,
      pendingOwnerId: s.pendingOwnerId,
    };
    authorize(action, facts, { ref: s.ref, owner: s.ownerName || "ticket.nobody" });
  }

  /** The draft, privately to the owner, with Publish / Reject buttons. */
  private async sendDraft(
    ownerId: string,
    draft: UpdateDraft,
    subject: string,
    author: Actor,
    stage: Stage,
    nextAction: string,
  ): Promise<void> {
    const x = this.d.texts;
    await this.d.outbox.enqueue(
      {
        ...platformOf(ownerId),
        key: `${draftRef(draft.id)}:to-owner`,
        reply: {
          blocks: [
            {
              type: "text",
              text: x.t("voice.draft_to_owner", {
                author: author.name,
                ref: subject,
                draft: draftRef(draft.id),
                stage: x.t(`choice.stage.${stage}`),
                nextAction,
              }),
            },
            {
              type: "actions",
              actions: [
                { id: "draft_approve", label: x.t("voice.button.approve"), value: String(draft.id) },
                { id: "draft_edit", label: x.t("voice.button.edit"), value: String(draft.id) },
                { id: "draft_reject", label: x.t("voice.button.reject"), value: String(draft.id) },
              ],
            },
          ],
          ephemeral: false,
        },
      },
      this.d.clock.now(),
    );
  }

  private async tell(target: Actor, key: string, text: string): Promise<void> {
    await this.d.outbox.enqueue(
      { ...platformOf(target.id), key, reply: { blocks: [{ type: "text", text }], ephemeral: false } },
      this.d.clock.now(),
    );
  }
}
