import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { Periodic } from "../periodic.ts";
import type { OutboxRepository } from "./outbox-repository.ts";
import { SendError, type ChannelSender } from "./outbox.ts";

const MAX_ATTEMPTS = 12;

/**
 * Sends what the outbox holds: per channel in order, each post once. A 429 waits its Retry-After;
 * a 5xx or a network error backs off exponentially (1 s, 2 s, … 5 min); a permanent refusal
 * (unknown channel, missing permission) marks the post failed and is logged for the owner.
 */
export class OutboxDispatcher extends Periodic<number> {
  readonly worker: string;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly senders: Readonly<Record<string, ChannelSender>>,
    private readonly clock: Clock,
    private readonly opts: { leaseMs?: number; batch?: number; log?: Logger; worker?: string } = {},
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
            const found = m.attempts > 1 ? await sender.alreadySent?.(m.channel, m.key, threadOf) : undefined;
            const { messageId } = found ? { messageId: found } : await sender.send(m.channel, m.reply, threadOf, m.key);
            await this.outbox.markSent(m.id, this.worker, this.clock.now(), messageId);
            sent++;
            progressed = true;
          } catch (e) {
            const err = e instanceof SendError ? e : new SendError(String((e as Error).message ?? e), true);
            if (!err.retryable || m.attempts >= MAX_ATTEMPTS) {
              this.opts.log?.error({ channel: m.channel, key: m.key, error: err.message }, "post failed for good");
              await this.outbox.markFailed(m.id, this.worker, err.message);
              progressed = true;
              return;
            }
            const backoff = err.retryAfterMs ?? Math.min(300_000, 1000 * 2 ** (m.attempts - 1));
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
          }
        }),
      );
      if (!progressed) return sent;
    }
  }
}
