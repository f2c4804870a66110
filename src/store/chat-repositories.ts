import type { DateTime, DurationLike } from "luxon";

export type Platform = "slack" | "discord";

/** A posted message on a platform (a channel and the message's id there). */
export interface ChatThreadRef {
  channel: string;
  messageId: string;
}

/**
 * Where a ticket's card is on a platform: the channel it was first posted in, and once the outbox
 * has sent it (the card is the outbox post `cardKey`), its message — whose thread holds the ticket's life.
 */
export interface TicketCard {
  channel: string;
  messageId?: string;
}

/** The outbox key of a ticket's card on a platform: posted once under it, then edited in place. */
export function cardKey(ticketId: number, platform: Platform): string {
  return `T-${ticketId}:card:${platform}`;
}

export interface ThreadRepository {
  get(ticketId: number, platform: Platform): Promise<TicketCard | undefined>;
  /** Records where the card goes; false when one was already recorded for this ticket and platform. */
  save(ticketId: number, platform: Platform, card: { channel: string }): Promise<boolean>;
}

/**
 * Requests handled once: a second claim of the same key (retry, double submit) returns false.
 * Claims are kept a day (CLAIMS_KEPT), then forgotten: every redelivery comes well within it
 * (Slack refuses signatures over five minutes old; Discord interactions live fifteen minutes).
 */
export interface IdempotencyRepository {
  /**
   * True for the first claim of `key`. With `within`, the key is free again once its last claim is
   * that old: a double click is the same click only for a few seconds.
   */
  claim(key: string, at: DateTime, within?: DurationLike): Promise<boolean>;
}

/** How long a claim is kept before it is purged. */
export const CLAIMS_KEPT = { days: 1 } as const;

/** A form filled in several steps; `values` are the encoded values given so far. */
export interface FormDraft {
  id: number;
  userId: string;
  command: string;
  sub: string;
  channel: string;
  step: number;
  values: Record<string, string | number>;
  /** What the person typed, by field id: shown again when the form comes back (a refused step, a reopened form). */
  typed?: Record<string, string>;
}

export interface DraftRepository {
  create(draft: Omit<FormDraft, "id">, at: DateTime): Promise<FormDraft>;
  get(id: number): Promise<FormDraft | undefined>;
  /** The user's latest draft of that subcommand, if one is in progress. */
  latest(userId: string, command: string, sub: string): Promise<FormDraft | undefined>;
  save(id: number, step: number, values: FormDraft["values"], at: DateTime, typed?: FormDraft["typed"]): Promise<void>;
  delete(id: number): Promise<void>;
}
