import type { DateTime } from "luxon";
import type { Reply } from "../reply.ts";
import type { OutboxEntry } from "./outbox.ts";

/** A post claimed by one dispatcher until its lease ends. */
export interface ClaimedMessage extends OutboxEntry {
  id: number;
  attempts: number;
  /** When the post was recorded: the time it was promised for. */
  createdAt: DateTime;
  /** Why the previous attempt failed, if one did. */
  lastError?: string;
}

export interface PostState {
  status: "pending" | "sent" | "failed";
  messageId?: string;
}

/** A post refused for good, or still pending since before a given time. */
export interface UndeliveredRow {
  key: string;
  platform: string;
  channel: string;
  status: "failed" | "pending";
  lastError: string | null;
  createdAt: DateTime;
}

/** The recorded posts (the outbox): written before they are sent, sent in order per channel. */
export interface OutboxRepository {
  /** Records a post before it is sent; false when that key was already recorded. */
  enqueue(entry: OutboxEntry, now: DateTime): Promise<boolean>;
  /** The oldest unsent post of each channel, when due and not leased: order per channel is kept. */
  claimHeads(now: DateTime, worker: string, leaseMs: number, limit: number): Promise<ClaimedMessage[]>;
  markSent(id: number, worker: string, now: DateTime, messageId: string | undefined): Promise<void>;
  retryLater(id: number, worker: string, at: DateTime, error: string): Promise<void>;
  markFailed(id: number, worker: string, error: string): Promise<void>;
  countUnsent(): Promise<number>;
  /** Posts not sent yet and posts refused for good, counted by platform (one grouped count, for /metrics). */
  backlog(): Promise<{ platform: string; status: "pending" | "failed"; count: number }[]>;
  /** Posts whose key starts with `keyPrefix`: failed ones, and pending ones recorded before `lateBefore`. */
  undelivered(keyPrefix: string, lateBefore: DateTime): Promise<UndeliveredRow[]>;
  /** Whether a post was recorded under `key` (sent, pending or failed). */
  recorded(key: string): Promise<boolean>;
  /** Which of `keys` were recorded, in one read. */
  recordedAmong(keys: readonly string[]): Promise<Set<string>>;
  /** The platform's id of a sent post, by key (undefined until it is sent). */
  sentMessageId(key: string): Promise<string | undefined>;
  /** Where a post stands, by key: pending, sent (with the platform's id) or failed; undefined when never recorded. */
  state(key: string): Promise<PostState | undefined>;
  /** Records a post that went out without the outbox (an incident room's first summary); false when already recorded. */
  recordSent(entry: OutboxEntry, messageId: string, now: DateTime): Promise<boolean>;
  /**
   * Gives a post refused for good another try, with new content (a ticket's card, when the ticket is
   * spoken of again: the bot may have been invited since); it keeps its place first in its channel.
   * False when the post was not refused.
   */
  retryRefused(key: string, reply: Reply, now: DateTime): Promise<boolean>;
  /** Whether a later edit of the same post is still pending (then this one need not be sent). */
  newerEditPending(id: number, edits: string): Promise<boolean>;
}
