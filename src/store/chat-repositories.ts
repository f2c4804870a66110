import type { DateTime } from "luxon";

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

/** Requests handled once: a second claim of the same key (retry, double submit) returns false. */
export interface IdempotencyRepository {
  claim(key: string, at: DateTime): Promise<boolean>;
}
