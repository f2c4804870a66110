import type { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { escalationRef, type Escalation } from "../escalations/model.ts";
import type { EscalationRepository } from "../escalations/escalation-repository.ts";
import type { Lang } from "../i18n/index.ts";
import { outageRef, type Outage } from "../outages/model.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import { type Desk, type DeskPerson, deskSubjects } from "../tickets/desk.ts";
import { draftRef } from "../tickets/one-voice.ts";
import { ref, type Ticket } from "../tickets/model.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { UpdateDraftRepository } from "../tickets/update-draft-repository.ts";
import type { UnitOfWork } from "../unit-of-work.ts";

/** A person who opened their desk on a surface (the Slack App Home), in their language. */
export interface DeskViewer {
  /** Their actor id: "slack:U123". */
  id: string;
  lang: Lang;
}

/** Where desks are shown: a surface publishes one person's desk (Slack: `views.publish`). */
export interface DeskSurface {
  publish(viewer: DeskViewer, desk: Desk): Promise<void>;
}

/** Who opened their desk, kept in the database so every replica refreshes them. */
export interface DeskViewerRepository {
  /** Remembers (or refreshes) a person who opened their desk; what their last desk showed is kept. */
  opened(viewer: DeskViewer, at: DateTime): Promise<void>;
  get(id: string): Promise<DeskViewer | undefined>;
  /**
   * The people, among those who opened their desk since `since`, named in `people`, or whose last
   * desk showed one of `subjects`; everyone who did when `everyone`.
   */
  concerned(q: { people: string[]; subjects: string[]; everyone: boolean; since: DateTime }): Promise<string[]>;
  /** What their desk just published showed. */
  shown(id: string, subjects: string[]): Promise<void>;
}

/** What a committed write concerns: whose desk may now read differently. */
export interface DeskTouch {
  /** The references written (T-1, INC-2, E-3, D-4): whoever's desk showed one must see the change. */
  subjects: string[];
  /** People the record names as it now stands (its owner, the person a handover is proposed to). */
  people?: (string | undefined)[];
  /** Every desk lists it (an outage). */
  everyone?: boolean;
  /** Managers decide it (an escalation). */
  managers?: boolean;
  /** Records whose owner is concerned, read after the commit (a draft's ticket or outage). */
  ownersOf?: string[];
}

/**
 * The desks people keep open (issue 15). A person who opens theirs (`opened`) is remembered, with
 * their language, in the database (`DeskViewer`: every replica refreshes them, and a restart forgets
 * nobody). After a unit of work commits a change that concerns them (`touched`, from the watched
 * repositories below), their desk is read again and published once per `windowMs`, however many
 * writes the change made. A rolled-back unit runs no after-commit action: it refreshes nothing.
 * Only people who opened their desk in the last `ACTIVE_DAYS` are refreshed: anyone else sees a
 * fresh desk at their next visit (Slack sends `app_home_opened` at each).
 */
export const ACTIVE_DAYS = 14;

export class DeskHomes {
  private readonly surfaces = new Map<string, DeskSurface>();
  private readonly due = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Each person's publishes, one after the other: an older desk never lands after a newer one. */
  private readonly chains = new Map<string, Promise<void>>();
  private batch: DeskTouch[] = [];
  private gathered: Promise<void> | undefined;

  constructor(
    private readonly d: {
      read: (person: DeskPerson) => Promise<Desk>;
      isManager: (id: string) => boolean;
      /** The managers named by id in the policy: concerned by every escalation. */
      managerIds: readonly string[];
      viewers: DeskViewerRepository;
      clock: Clock;
      tickets: Pick<TicketRepository, "get">;
      outages: Pick<OutageRepository, "get">;
      unit: UnitOfWork;
      /** Changes within this window make one publish per person (default 1 s). */
      windowMs?: number;
      log?: Logger;
    },
  ) {}

  /** The surface that shows the desks of its platform's people ("slack" for "slack:U1"). */
  register(platform: string, surface: DeskSurface): void {
    this.surfaces.set(platform, surface);
  }

  /** A person opened their desk: remembered, and published now. */
  async opened(viewer: DeskViewer): Promise<void> {
    await this.d.viewers.opened(viewer, this.d.clock.now());
    await this.track(this.publish(viewer.id));
  }

  /** Notes a write: once its unit commits, the desks it concerns are refreshed (coalesced). */
  touched(touch: DeskTouch): void {
    // Without a surface showing desks (the shell, the benchmarks), nothing to refresh.
    if (this.surfaces.size === 0) return;
    this.d.unit.afterCommit(() => this.gather(touch));
  }

  /**
   * The touches of the writes committed together (a unit starts its after-commit actions at once)
   * are merged, so a command costs one query for whom it concerns, not one per write.
   */
  private gather(touch: DeskTouch): Promise<void> {
    this.batch.push(touch);
    this.gathered ??= Promise.resolve().then(() => {
      const touches = this.batch.splice(0);
      this.gathered = undefined;
      return this.changed({
        subjects: touches.flatMap((t) => t.subjects),
        people: touches.flatMap((t) => t.people ?? []),
        everyone: touches.some((t) => t.everyone),
        managers: touches.some((t) => t.managers),
        ownersOf: touches.flatMap((t) => t.ownersOf ?? []),
      });
    });
    return this.gathered;
  }

  /** Resolves once no refresh is due or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.due.size > 0 || this.inFlight.size > 0) {
      for (const [id, timer] of this.due) {
        clearTimeout(timer);
        this.due.delete(id);
        this.track(this.publish(id));
      }
      await Promise.all(this.inFlight);
    }
  }

  private async changed(touch: DeskTouch): Promise<void> {
    const people = new Set(touch.people?.filter((p): p is string => p !== undefined));
    for (const subject of new Set(touch.ownersOf)) {
      const owner = await this.ownerOf(subject);
      if (owner) people.add(owner);
    }
    if (touch.managers) for (const id of this.d.managerIds) people.add(id);
    const since = this.d.clock.now().minus({ days: ACTIVE_DAYS });
    const ids = await this.d.viewers.concerned({
      people: [...people],
      subjects: [...new Set(touch.subjects)],
      everyone: touch.everyone ?? false,
      since,
    });
    for (const id of ids) this.schedule(id);
  }

  private async ownerOf(subject: string): Promise<string | undefined> {
    const [kind, n] = subject.split("-");
    const id = Number(n);
    return kind === "INC" ? (await this.d.outages.get(id))?.ownerId : (await this.d.tickets.get(id))?.ownerId;
  }

  /** One publish per person per window: the first change starts the window, the others join it. */
  private schedule(id: string): void {
    if (this.due.has(id)) return;
    const timer = setTimeout(() => {
      this.due.delete(id);
      this.track(this.publish(id));
    }, this.d.windowMs ?? 1000);
    timer.unref();
    this.due.set(id, timer);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private publish(id: string): Promise<void> {
    const next = (this.chains.get(id) ?? Promise.resolve()).then(() => this.publishNow(id));
    this.chains.set(id, next);
    return next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  /** Reads the desk and publishes it; a failure is logged, never thrown (the change is committed). */
  private async publishNow(id: string): Promise<void> {
    const surface = this.surfaces.get(id.split(":")[0] ?? "");
    try {
      const viewer = surface ? await this.d.viewers.get(id) : undefined;
      if (!surface || !viewer) return;
      const desk = await this.d.read({ id, manager: this.d.isManager(id) });
      await surface.publish(viewer, desk);
      await this.d.viewers.shown(id, deskSubjects(desk));
    } catch (e) {
      this.d.log?.warn({ err: e, user: id }, "desk not published");
    }
  }
}

/** The repositories' writes, each noting what it concerns (DeskHomes.touched); reads pass through. */
export function watchedRepositories(
  repos: {
    tickets: TicketRepository;
    outages: OutageRepository;
    escalations: EscalationRepository;
    updateDrafts: UpdateDraftRepository;
  },
  homes: DeskHomes,
) {
  const ticket = (t: Ticket): DeskTouch => ({ subjects: [ref(t.id)], people: [t.ownerId, t.pendingOwnerId] });
  const outage = (o: Outage): DeskTouch => ({ subjects: [outageRef(o.id)], everyone: true });
  const escalation = (e: Escalation): DeskTouch => ({
    subjects: [escalationRef(e.id), ref(e.ticketId)],
    people: [e.ownerId],
    managers: true,
    ownersOf: [ref(e.ticketId)],
  });
  return {
    tickets: watch(repos.tickets, homes, { create: ticket, update: ticket }),
    outages: watch(repos.outages, homes, { create: outage, update: outage }),
    escalations: watch(repos.escalations, homes, { create: escalation, update: escalation }),
    updateDrafts: watch(repos.updateDrafts, homes, {
      create: (d) => ({
        subjects: [draftRef(d.id)],
        ownersOf: [d.ticketId !== undefined ? ref(d.ticketId) : outageRef(d.outageId ?? 0)],
      }),
      settle: (_settled, [id]) => ({ subjects: [draftRef(id)] }),
    }),
  };
}

type Method = (...args: never[]) => Promise<unknown>;
type Touches<R> = {
  [K in keyof R]?: R[K] extends (...args: infer A) => Promise<infer T> ? (result: T, args: A) => DeskTouch : never;
};

/** `repo` with each listed write noting its touch once it has returned; everything else as it is. */
function watch<R extends object>(repo: R, homes: DeskHomes, touches: Touches<R>): R {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      const touch = touches[prop as keyof R] as ((result: unknown, args: unknown[]) => DeskTouch) | undefined;
      if (!touch || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const result = await (value as Method).apply(target, args as never[]);
        homes.touched(touch(result, args));
        return result;
      };
    },
  });
}
