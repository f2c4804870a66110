import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Lang } from "../i18n/index.ts";
import type { ChannelRef } from "../channel-ref.ts";
import { Periodic } from "../periodic.ts";
import type { Actor } from "../timeline/events.ts";
import type { Encoded } from "./forms.ts";
import type { OnceKey } from "./once.ts";

/**
 * A command acknowledged to the platform (issue 14, "durable commands"). It is recorded before the
 * ack — a fast insert — with everything needed to run it again: the subcommand and its values as
 * read, who, where, and how to answer them later. The unit of work that runs it marks it done, so
 * a replica that dies after the ack leaves it pending; when its lease ends another replica (or
 * this one after a restart) runs it, once, and answers the person.
 */
export interface CommandToRun {
  platform: string;
  command: string;
  sub: string;
  given: Encoded;
  actor: Actor;
  lang: Lang;
  /** The channel the person acted in, and the context channel (an incident room), if any. */
  channel?: string;
  room?: ChannelRef;
  /** The delivery's keys (src/kit/once.ts), claimed when it runs. */
  once?: readonly OnceKey[];
  /** How the platform lets the person be answered later (Slack: the request's response_url). */
  answer?: Readonly<Record<string, string>>;
  receivedAt: DateTime;
}

export interface RecordedCommand extends CommandToRun {
  id: number;
}

/** The recorded commands. */
export interface CommandRepository {
  /** Records a command before its ack, held by `worker` until `leaseUntil`; returns its id. */
  record(command: CommandToRun, worker: string, leaseUntil: DateTime): Promise<number>;
  /**
   * Claims `keys` (a delivery that must be answered once: src/kit/once.ts) and records the command,
   * in one transaction before its ack: its id, or the first key already claimed (nothing recorded).
   */
  recordFirst(
    keys: readonly OnceKey[],
    command: CommandToRun,
    worker: string,
    leaseUntil: DateTime,
  ): Promise<number | OnceKey>;
  /**
   * Marks it done if it is still pending; false when it was already done (another replica ran it).
   * Called inside the unit of work that runs it: its effects and this mark commit together.
   */
  finish(id: number): Promise<boolean>;
  /** Claims pending commands of `platform` whose lease has ended (their replica died), oldest first. */
  claimAbandoned(
    platform: string,
    now: DateTime,
    worker: string,
    leaseMs: number,
    limit: number,
  ): Promise<RecordedCommand[]>;
  /** Deletes done commands received before `before` (they are only kept for a while). */
  purgeDone(before: DateTime): Promise<number>;
}

/** How long done commands are kept (looked at when something went wrong). */
const DONE_KEPT = { days: 1 } as const;
const PURGE_EVERY = { minutes: 10 } as const;

/**
 * Runs the commands a dead replica acknowledged but never did, for one platform: each is claimed
 * for a lease, then run by `replay` (the pipeline, with a port that answers late).
 */
export class CommandRecovery extends Periodic<number> {
  readonly worker: string;

  constructor(
    private readonly d: {
      platform: string;
      commands: CommandRepository;
      clock: Clock;
      replay: (command: RecordedCommand) => Promise<void>;
      leaseMs?: number | undefined;
      worker?: string | undefined;
      log?: Logger | undefined;
    },
  ) {
    super({ failure: "command recovery pass failed", intervalMs: 1000, log: d.log, clock: d.clock });
    this.worker = d.worker ?? `commands-${randomUUID().slice(0, 8)}`;
  }

  /** One pass: runs every abandoned command; returns how many. */
  recover(): Promise<number> {
    return this.run();
  }

  private purgedAt: DateTime | undefined;

  protected async pass(): Promise<number> {
    const now = this.d.clock.now();
    if (!this.purgedAt || now >= this.purgedAt.plus(PURGE_EVERY)) {
      this.purgedAt = now;
      await this.d.commands.purgeDone(now.minus(DONE_KEPT));
    }
    const abandoned = await this.d.commands.claimAbandoned(
      this.d.platform,
      now,
      this.worker,
      this.d.leaseMs ?? 60_000,
      20,
    );
    for (const c of abandoned) {
      this.d.log?.warn(
        { command: `/${c.command} ${c.sub}`, id: c.id, user: c.actor.id },
        "running a command left undone",
      );
      await this.d.replay(c).catch((e: unknown) => this.d.log?.error({ err: e, id: c.id }, "recovered command failed"));
    }
    return abandoned.length;
  }
}
