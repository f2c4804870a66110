import type { DateTime, DurationLike } from "luxon";
import type { IdempotencyRepository } from "../store/chat-repositories.ts";

/**
 * What makes an inbound request the same as one already handled (PRODUCT.md "Authority": every
 * inbound request has one effect however often it is delivered). Each surface names its keys — the
 * signed bytes or the platform's id of a delivery, and for a button the click itself — and claims
 * them in the database before acknowledging, so a redelivery after a restart, or on another
 * replica, still finds the claim.
 */
export interface OnceKey {
  key: string;
  /** Claimed only for this long (a double click); without it, for as long as claims are kept. */
  within?: DurationLike;
}

/**
 * Two clicks of the same button by the same person on the same message this close together are one
 * click (a double click, or a click repeated while the first one's answer is on its way).
 */
export const DOUBLE_CLICK = { seconds: 5 } as const;

/** True when none of `keys` was claimed yet (and now all are): the request is new, handle it. */
export async function firstDelivery(
  requests: IdempotencyRepository,
  at: DateTime,
  keys: readonly OnceKey[],
): Promise<boolean> {
  for (const { key, within } of keys) if (!(await requests.claim(key, at, within))) return false;
  return true;
}
