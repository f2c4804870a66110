import type { DateTime, DurationLike } from "luxon";

export type Platform = "slack" | "discord";

/** A ticket's card message on a platform; its thread holds the ticket's whole life. */
export interface ChatThreadRef {
  channel: string;
  messageId: string;
}

export interface ThreadRepository {
  get(ticketId: number, platform: Platform): Promise<ChatThreadRef | undefined>;
  /** Records the card; false when one was already recorded for this ticket and platform. */
  save(ticketId: number, platform: Platform, ref: ChatThreadRef): Promise<boolean>;
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
