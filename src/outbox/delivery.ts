import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { MessageKey, Moments, Texts } from "../i18n/index.ts";
import { channelLabel } from "../outages/model.ts";
import { platformOf } from "../channel-ref.ts";
import { clip } from "../text.ts";
import type { OutboxRepository, UndeliveredRow } from "./outbox-repository.ts";

/**
 * Posts that did not go out when promised (issue 14, "transient is never final"): a post refused
 * for good, or still unsent long after it was recorded, is told privately to the owner of what it
 * is about — which channel, which post, what to do — and listed in `/outage list` and the ticket
 * summary. The outbox keeps retrying a late post; telling is not giving up.
 */

/** Every outbox key starts with the reference of what it is about: `INC-3:update-2:slack:C1`, `T-4:warning:…`. */
export function subjectOfKey(key: string): string | undefined {
  return /^(?:INC|T|E)-\d+(?=:)/.exec(key)?.[0];
}

/** How much of a refused post is quoted to its owner. */
const QUOTED = 500;

/** The alerts' own keys: never alerted about (an owner who cannot be reached is only logged). */
const ALERT_MARK = ":delivery-";

/** What the owner can do about a post that does not go out, read from the platform's error. */
export type Advice = "invite" | "archived" | "permission" | "retrying" | "other";

export function adviceFor(error: string | undefined, final: boolean): Advice {
  const e = error ?? "";
  // Slack's error codes; Discord's 10003 Unknown Channel, 50001 Missing Access, 50013 Missing Permissions.
  if (/not_in_channel|channel_not_found|\b10003\b|\b50001\b/.test(e)) return "invite";
  if (/is_archived/.test(e)) return "archived";
  if (/missing_scope|not_allowed|restricted_action|\b50013\b|\b403\b/.test(e)) return "permission";
  return final ? "other" : "retrying";
}

export interface UndeliveredPost {
  key: string;
  platform: string;
  channel: string;
  /** Refused for good, or still unsent past the policy's delay (the outbox keeps trying). */
  state: "failed" | "late";
  error?: string;
  /** When the post was recorded (the time it was promised for). */
  since: DateTime;
  /** What the post said: quoted to the owner when it is refused for good, so nothing is lost. */
  text?: string;
}

export interface DeliveryDeps {
  outbox: Pick<OutboxRepository, "enqueue" | "undelivered">;
  clock: Clock;
  texts: Texts;
  /** How long a post may stay unsent before its owner is told (policy `delivery.alertAfter`). */
  alertAfterMs: number;
  /** The owner of a ticket, an outage or an escalation (the ticket's owner), by reference. */
  ownerOf(subject: string): Promise<string | undefined>;
}

export class DeliveryAlerts {
  constructor(private readonly d: DeliveryDeps) {}

  get alertAfterMs(): number {
    return this.d.alertAfterMs;
  }

  /** Tells the owner, once per post and state (the alert's key makes a second report a no-op). */
  async report(p: UndeliveredPost): Promise<boolean> {
    const subject = subjectOfKey(p.key);
    if (!subject || p.key.includes(ALERT_MARK)) return false;
    const ownerId = await this.d.ownerOf(subject);
    if (!ownerId) return false;
    const to = platformOf(ownerId);
    // The post was the owner's own message: the alert could not reach them either.
    if (to.platform === p.platform && to.channel === p.channel) return false;
    const x = this.d.texts;
    const key: MessageKey = p.state === "failed" ? "delivery.failed_dm" : "delivery.late_dm";
    const told = x.t(key, {
      subject,
      channel: channelLabel(p),
      since: x.moments()(p.since),
      error: p.error ?? "—",
      advice: x.t(`delivery.advice.${adviceFor(p.error, p.state === "failed")}`),
    });
    const quote = p.state === "failed" && p.text ? ` ${x.t("delivery.quote", { text: clip(p.text, QUOTED) })}` : "";
    const text = `${told}${quote}`;
    return this.d.outbox.enqueue(
      {
        ...to,
        key: `${subject}${ALERT_MARK}${p.state}:${p.key}`,
        reply: { blocks: [{ type: "text", text }], ephemeral: false },
      },
      this.d.clock.now(),
    );
  }

  /** The posts about `subject` refused for good or still waiting past the delay (alerts excluded). */
  async problems(subject: string): Promise<UndeliveredPost[]> {
    const lateBefore = this.d.clock.now().minus({ milliseconds: this.d.alertAfterMs });
    const rows = await this.d.outbox.undelivered(`${subject}:`, lateBefore);
    return rows.filter((r) => !r.key.includes(ALERT_MARK)).map(toPost);
  }
}

/** One line per post for `/outage list` and the ticket summary. */
export function undeliveredLines(x: Texts, posts: readonly UndeliveredPost[], at: Moments = x.moments()): string[] {
  return posts.map((p) =>
    x.t(p.state === "failed" ? "delivery.row_failed" : "delivery.row_late", {
      channel: channelLabel(p),
      since: at(p.since),
      advice: x.t(`delivery.advice.${adviceFor(p.error, p.state === "failed")}`),
    }),
  );
}

function toPost(r: UndeliveredRow): UndeliveredPost {
  return {
    key: r.key,
    platform: r.platform,
    channel: r.channel,
    state: r.status === "failed" ? "failed" : "late",
    ...(r.lastError ? { error: r.lastError } : {}),
    since: r.createdAt,
  };
}
