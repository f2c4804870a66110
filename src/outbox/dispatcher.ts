import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { Periodic } from "../periodic.ts";
import type { UndeliveredPost } from "./delivery.ts";
import type { ClaimedMessage, OutboxRepository } from "./outbox-repository.ts";
import { RATE_LIMITED, SendError, type ChannelSender } from "./outbox.ts";

/** The longest wait between two attempts of a post when the platform gives no Retry-After. */
const MAX_BACKOFF_MS = 60_000;

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
    } = {},
  ) {
    super({ failure: "outbox pass failed", intervalMs: 500, log: opts.log });
    this.worker = opts.worker ?? `outbox-${randomUUID().slice(0, 8)}`;
  }

  /** Sends every post that is due now; returns how many were sent. Passes never overlap. */
  flush(): Promise<number> {
    return this.run();
  }

  protected async pass(): Promise<number> {
    let sent = 0;
    for (;;) {
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
            const threadOf = m.threadKey ? await this.outbox.sentMessageId(m.threadKey) : undefined;
            // The thread's first message goes out first (same channel, in order); until then, wait.
            if (m.threadKey && !threadOf) throw new SendError(`thread parent ${m.threadKey} not sent yet`, true, 1000);
            // A second attempt may follow a first that reached the platform (its sender died before
            // recording it): look for the post first, so it never goes out twice.
            // Not after a rate limit: the platform did not take that one (and a lookup would be limited too).
            const mayBeThere = m.attempts > 1 && m.lastError !== RATE_LIMITED;
            const found = mayBeThere ? await sender.alreadySent?.(m.channel, m.key, threadOf) : undefined;
            const { messageId } = found ? { messageId: found } : await sender.send(m.channel, m.reply, threadOf, m.key);
            await this.outbox.markSent(m.id, this.worker, this.clock.now(), messageId);
            sent++;
            progressed = true;
          } catch (e) {
            const err = e instanceof SendError ? e : new SendError(String((e as Error).message ?? e), true);
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

  /** Tells the owner; a failure to tell is logged and never stops the pass. */
  private async tell(m: ClaimedMessage, state: UndeliveredPost["state"], error: string): Promise<void> {
    const { alerts, log } = this.opts;
    if (!alerts) return;
    const post = { key: m.key, platform: m.platform, channel: m.channel, state, error, since: m.createdAt };
    await alerts
      .report(post)
      .catch((e: unknown) => log?.error({ err: e, key: m.key }, "could not tell the owner about a post"));
  }
}
