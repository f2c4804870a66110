import type { Reply } from "../reply.ts";

/** Where an outgoing post goes: a platform and one of its channels (a name in the shell). */
export interface OutboxTarget {
  platform: string;
  channel: string;
}

export interface OutboxEntry extends OutboxTarget {
  /** Deduplication key: enqueuing the same key twice records one post. */
  key: string;
  reply: Reply;
  /** Posts in the thread of the message recorded under this key (an escalation note's thread). */
  threadKey?: string;
  /**
   * Replaces in place the content of the post recorded under this key (a ticket card, an incident
   * room's summary), once that post is sent; of several pending edits of one post only the newest
   * is sent. Same channel as that post.
   */
  edits?: string;
  /** Opens a thread of this name on the post when it is sent, where the platform names threads (Discord). */
  threadName?: string;
}

/**
 * The refusal of a rate limit (a 429), the same words from every sender: the platform did not take
 * the post, so its retry needs no look for an earlier copy.
 */
export const RATE_LIMITED = "rate limited";

/** What a platform says when a post fails; `retryAfterMs` comes from a 429's Retry-After. */
export class SendError extends Error {
  override name = "SendError";
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Sends one neutral reply to a channel of one platform (Slack, Discord, the shell). */
export interface ChannelSender {
  /** Posts in `channel`, or in the thread of message `threadOf` there; `key` travels with the post. */
  send(
    channel: string,
    reply: Reply,
    threadOf?: string,
    key?: string,
    opts?: { threadName?: string },
  ): Promise<{ messageId?: string }>;
  /** Replaces the content of a post already sent (`messageId`, in `channel`). */
  edit(channel: string, messageId: string, reply: Reply): Promise<void>;
  /**
   * The id of a post already carrying `key`, if the platform can tell: asked before re-sending a
   * post whose earlier attempt may have succeeded (its sender died before recording it). `reply` is
   * the post's content: a sender whose post goes out in two calls (Slack: the message, then its
   * file) completes the second one when the first is found.
   */
  alreadySent?(channel: string, key: string, threadOf?: string, reply?: Reply): Promise<string | undefined>;
}
