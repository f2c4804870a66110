import type { Texts } from "../i18n/index.ts";
import type { Reply } from "../reply.ts";
import type { ThreadRepository } from "../store/chat-repositories.ts";
import { clip } from "../text.ts";
import { ref } from "../tickets/model.ts";
import { ticketCard } from "../tickets/views.ts";
import type { Services } from "./command.ts";
import type { ChannelPort, MessageRef } from "./ports.ts";

/**
 * A ticket's public life goes in its card's thread: the card is posted in the channel on first use
 * (its thread opened under it, and remembered), then edited in place so it always shows the
 * ticket as it is now.
 */
export async function cardThread(
  deps: { services: Services; threads: ThreadRepository },
  channels: ChannelPort,
  x: Texts,
  ticketId: number,
  channel: string,
): Promise<MessageRef> {
  const { tickets, sla, clock } = deps.services;
  const t = await tickets.get(ticketId);
  const card = ticketCard(x, t, sla, clock.now());
  const known = await deps.threads.get(ticketId, channels.platform);
  if (known) {
    await channels.update(known, card);
    return known;
  }
  const posted = await channels.post(channel, card);
  // Discord names a thread (100 characters at most); Slack's is the card's replies.
  const thread = await channels.openThread(posted, clip(`${ref(t.id)} · ${t.title}`, 100));
  await deps.threads.save(ticketId, channels.platform, thread);
  return thread;
}

/** The reply's own words, to quote when it could not be posted (so nothing is lost). */
export function replyText(reply: Reply): string {
  return reply.blocks
    .map((b) => ("text" in b ? b.text : ""))
    .join(" ")
    .trim();
}
