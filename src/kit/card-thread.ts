import { randomUUID } from "node:crypto";
import type { Texts } from "../i18n/index.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { Reply } from "../reply.ts";
import { cardKey, type Platform, type ThreadRepository } from "../store/chat-repositories.ts";
import { clip } from "../text.ts";
import { ref } from "../tickets/model.ts";
import { ticketCard } from "../tickets/views.ts";
import type { Services } from "./command.ts";

export interface CardDeps {
  services: Services;
  threads: ThreadRepository;
  outbox: Pick<OutboxRepository, "enqueue" | "retryRefused">;
}

/**
 * A ticket's public life goes in its card's thread, through the outbox (issue 14: no promise lost):
 * the card is posted once per platform, in the channel where the ticket was first spoken of, then
 * edited in place so it always shows the ticket as it is now; the reply goes in its thread. Only
 * records (repository writes, no platform call, no waiting on a send): it can run inside the
 * command's own transaction, and the outbox dispatcher sends the posts in order.
 */
export async function recordTicketReply(
  deps: CardDeps,
  where: { platform: Platform; channel: string },
  x: Texts,
  ticketId: number,
  r: Reply,
): Promise<void> {
  const { tickets, sla, clock } = deps.services;
  const { platform } = where;
  const now = clock.now();
  const t = await tickets.get(ticketId);
  const card = ticketCard(x, t, sla, now);
  const key = cardKey(ticketId, platform);
  let channel = (await deps.threads.get(ticketId, platform))?.channel;
  if (channel === undefined) {
    // Discord names a thread (100 characters at most); Slack's is the card's replies.
    const threadName = clip(`${ref(t.id)} · ${t.title}`, 100);
    await deps.outbox.enqueue({ platform, channel: where.channel, key, reply: card, threadName }, now);
    // Two first replies at once: the card is recorded once, and both replies follow it where it went.
    channel = (await deps.threads.save(ticketId, platform, { channel: where.channel }))
      ? where.channel
      : ((await deps.threads.get(ticketId, platform))?.channel ?? where.channel);
  } else if (!(await deps.outbox.retryRefused(key, card, now))) {
    // A card refused for good (the bot not in the channel) is tried again, as it is now; otherwise:
    // one edit per version of the ticket: a retry records nothing new, a burst is coalesced when sent.
    await deps.outbox.enqueue({ platform, channel, key: `${key}:edit:${t.version}`, edits: key, reply: card }, now);
  }
  const replyKey = `${ref(t.id)}:reply:${platform}:${randomUUID()}`;
  await deps.outbox.enqueue({ platform, channel, key: replyKey, threadKey: key, reply: r }, now);
}
