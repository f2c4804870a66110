import { type DateTime, Duration, type DurationLike } from "luxon";
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
  return (await takenKey(requests, at, keys)) === undefined;
}

/** Keys claimed before the ack, and how a repeat is acknowledged (src/kit/ports.ts `claimFirst`). */
export interface ClaimFirst {
  keys: readonly OnceKey[];
  repeated(taken: OnceKey): Promise<void>;
}

/** Claims `first`'s keys; false for a repeat, which is not handled (`repeated` acknowledges it if it must). */
export async function claimedFirst(requests: IdempotencyRepository, at: DateTime, first: ClaimFirst): Promise<boolean> {
  const taken = await takenKey(requests, at, first.keys);
  if (taken) await first.repeated(taken);
  return !taken;
}

/**
 * Claims `keys` in order, up to the first one already claimed, which is returned (a repeat, and
 * which kind: a delivery again, or a double click); undefined when all were claimed now.
 */
export async function takenKey(
  requests: IdempotencyRepository,
  at: DateTime,
  keys: readonly OnceKey[],
): Promise<OnceKey | undefined> {
  for (const k of keys) if (!(await requests.claim(k.key, at, k.within))) return k;
  return undefined;
}

/**
 * How long this process remembers a key without a window: past any redelivery (Slack retries at
 * once, after a minute and after five). Not longer: the keys are memory, and the durable claim
 * catches a later repeat anyway. (15 minutes made the soak's heap climb for its first quarter
 * hour, about 20,000 keys at 13 requests a second; issue 16.)
 */
const REMEMBERED_MS = 6 * 60_000;

/**
 * The keys this process saw lately, in memory: a repeat arriving while the first delivery is
 * handled (two at once, a double click) is caught before the ack, with no database write on the
 * ack's path. The durable claim (`firstDelivery`) follows the ack, just before the work, and
 * decides across restarts and replicas.
 */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    /** Milliseconds on the service's clock (the double-click window is a few seconds of it). */
    private readonly now: () => number,
    private readonly max = 50_000,
  ) {}

  /** True when none of `keys` was seen within its window (and now all are). */
  firstSeen(keys: readonly OnceKey[]): boolean {
    const t = this.now();
    if (keys.some(({ key }) => (this.seen.get(key) ?? Number.NEGATIVE_INFINITY) > t)) return false;
    for (const { key, within } of keys) {
      this.seen.delete(key); // re-inserted last: the map stays in expiry order for the oldest-first prune
      this.seen.set(key, t + (within ? Duration.fromDurationLike(within).toMillis() : REMEMBERED_MS));
    }
    for (const [key, until] of this.seen) {
      if (until > t && this.seen.size <= this.max) break;
      this.seen.delete(key);
    }
    return true;
  }
}
