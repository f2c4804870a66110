import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { replyText } from "../reply.ts";
import { Periodic } from "../periodic.ts";
import type { UndeliveredPost } from "./delivery.ts";
import type { ClaimedMessage, OutboxRepository } from "./outbox-repository.ts";
import { RATE_LIMITED, SendError, type ChannelSender } from "./outbox.ts";

/** The longest wait between two attempts of a post when the platform gives no Retry-After. */
const MAX_BACKOFF_MS = 60_000;

/** A send that did not go out: rate limited or otherwise transient (retried), or refused for good (for /metrics). */
export type SendFailure = "rate_limited" | "transient" | "refused";

/** Waiting for the post an edit or a thread reply depends on: not a failure of the platform. */
class WaitingForParent extends SendError {}

/** Told when a post is refused for good, or is still unsent past the delay (once per post and state). */
export interface DeliveryReporter {
  readonly alertAfterMs: number;
  report(p: UndeliveredPost): Promise<boolean>;
}

/**
 * Sends what the outbox holds: per channel in order, each post once. Transient is never final: a
 * 429 waits its Retry-After, a 5xx, a timeout or a network error backs off exponentially (1 s, 2 s,
 * … capped at a minute), for as long as it takes. Only a permanent refusal (unknown channel, missing
 * permission, archived channel) marks the post failed, and does not hold the channel's next posts.
 * Both a final refusal and a post still unsent past the policy's delay are told to the owner.
 */
export class OutboxDispatcher extends Periodic<number> {
  readonly worker: string;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly senders: Readonly<Record<string, ChannelSender>>,
    private readonly clock: Clock,
    private readonly opts: {
      leaseMs?: number;
      batch?: number;
      log?: Logger;
      worker?: string;
      alerts?: DeliveryReporter;
      /** Told of every failed send (the metrics); never of a wait for the post a reply depends on. */
      failed?: (platform: string, kind: SendFailure) => void;
      /** Awaited before each batch: resolves when sending may go on (no request waiting for its ack). */
      stepAside?: () => Promise<void>;
    } = {},
  ) {
    super({ failure: "outbox pass failed", intervalMs: 500, log: opts.log });
    this.worker = opts.worker ?? `outbox-${randomUUID().slice(0, 8)}`;
  }

  /**
   * Sends every post that is due now; returns how many were sent. Passes never overlap: a pass under
   * way may have looked before the caller's posts were recorded, so this one starts after it.
   */
  async flush(): Promise<number> {
    await this.idle();
    return this.run();
  }

  /**
   * A pass soon, without waiting for the interval: called once a post is recorded (a command's card
   * and reply), so it goes out promptly. A failed pass is logged; the interval tries again.
   */
  poke(): void {
    void this.idle()
      .then(() => (this.stopped ? 0 : this.run()))
      .catch((e: unknown) => this.opts.log?.warn({ err: e }, "outbox pass failed"));
  }

  protected async pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      await this.opts.stepAside?.();
      const batch = await this.outbox.claimHeads(
        this.clock.now(),
        this.worker,
        this.opts.leaseMs ?? 60_000,
        this.opts.batch ?? 20,
      );
      if (batch.length === 0) return sent;
      let progressed = false;
      // Different channels go out concurrently; within a channel, one at a time (claimHeads).
      await Promise.all(
        batch.map(async (m) => {
          const sender = this.senders[m.platform];
          try {
            if (!sender) throw new SendError(`no sender for platform ${m.platform}`, false);
            const outcome = await this.attempt(m, sender);
            if (outcome === "failed") {
              progressed = true;
              return;
            }
            await this.outbox.markSent(m.id, this.worker, this.clock.now(), outcome.messageId);
            if (!outcome.skipped) sent++;
            progressed = true;
          } catch (e) {
            const err = e instanceof SendError ? e : new SendError(String((e as Error).message ?? e), true);
            if (!(err instanceof WaitingForParent)) {
              const kind = !err.retryable ? "refused" : err.message === RATE_LIMITED ? "rate_limited" : "transient";
              this.opts.failed?.(m.platform, kind);
            }
            if (!err.retryable) {
              this.opts.log?.error({ channel: m.channel, key: m.key, error: err.message }, "post failed for good");
              await this.outbox.markFailed(m.id, this.worker, err.message);
              await this.tell(m, "failed", err.message);
              progressed = true;
              return;
            }
            const backoff = err.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(m.attempts - 1, 16));
            this.opts.log?.warn(
              { channel: m.channel, key: m.key, error: err.message, retryInMs: backoff },
              "post delayed",
            );
            await this.outbox.retryLater(
              m.id,
              this.worker,
              this.clock.now().plus({ milliseconds: backoff }),
              err.message,
            );
            const late = this.opts.alerts && this.clock.now().diff(m.createdAt).as("milliseconds");
            if (late && late > this.opts.alerts!.alertAfterMs) await this.tell(m, "late", err.message);
          }
        }),
      );
      if (!progressed) return sent;
    }
  }

  /** Once stopped, pokes start no pass (the store may be closing); flush() still sends on demand. */
  override async stop(): Promise<void> {
    this.stopped = true;
    await super.stop();
  }

  /**
   * One attempt at a post: an edit replaces the post it edits once that one is sent (only the newest
   * of several pending edits goes out: the older ones are skipped); a thread reply waits for its
   * thread's first message. "failed" when what it depends on was refused for good.
   */
  private async attempt(
    m: ClaimedMessage,
    sender: ChannelSender,
  ): Promise<{ messageId?: string | undefined; skipped?: boolean } | "failed"> {
    const dependsOn = m.edits ?? m.threadKey;
    const parent = dependsOn ? await this.outbox.state(dependsOn) : undefined;
    if (dependsOn && parent?.status === "failed") {
      // An edit of a refused post has nothing to edit (the refusal was told); a thread reply is told
      // to the owner in its turn, so what it said is not lost silently.
      await this.outbox.markFailed(m.id, this.worker, `${dependsOn} was not published`);
      if (!m.edits) await this.tell(m, "failed", `${dependsOn} was not published`);
      return "failed";
    }
    // The post it edits or threads under goes out first (same channel, in order); until then, wait.
    if (dependsOn && !parent?.messageId) throw new WaitingForParent(`${dependsOn} not sent yet`, true, 1000);
    if (m.edits) {
      if (await this.outbox.newerEditPending(m.id, m.edits)) return { messageId: parent!.messageId, skipped: true };
      await sender.edit(m.channel, parent!.messageId!, m.reply);
      return { messageId: parent!.messageId };
    }
    const threadOf = parent?.messageId;
    // A second attempt may follow a first that reached the platform (its sender died before
    // recording it): look for the post first, so it never goes out twice.
    // Not after a rate limit: the platform did not take that one (and a lookup would be limited too).
    const mayBeThere = m.attempts > 1 && m.lastError !== RATE_LIMITED;
    const found = mayBeThere ? await sender.alreadySent?.(m.channel, m.key, threadOf, m.reply) : undefined;
    if (found) return { messageId: found };
    const opts = m.threadName ? { threadName: m.threadName } : undefined;
    return sender.send(m.channel, m.reply, threadOf, m.key, opts);
  }

  /** Tells the owner; a failure to tell is logged and never stops the pass. */
  private async tell(m: ClaimedMessage, state: UndeliveredPost["state"], error: string): Promise<void> {
    const { alerts, log } = this.opts;
    if (!alerts) return;
    const post = {
      key: m.key,
      platform: m.platform,
      channel: m.channel,
      state,
      error,
      since: m.createdAt,
      text: replyText(m.reply),
    };
    await alerts
      .report(post)
      .catch((e: unknown) => log?.error({ err: e, key: m.key }, "could not tell the owner about a post"));
  }
}
