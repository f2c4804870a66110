import { createHash } from "node:crypto";
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from "discord.js";
import type { APIChannel, APIMessage } from "discord-api-types/v10";
import type { Reply } from "../../reply.ts";
import { RATE_LIMITED, SendError, type ChannelSender } from "../../outbox/outbox.ts";
import { toDiscord } from "./messages.ts";

/**
 * Posts outbox entries to Discord channels. discord.js's REST client already waits out rate limits
 * and retries 5xx a few times; what still fails comes back to the outbox, which retries durably.
 */
export class DiscordSender implements ChannelSender {
  constructor(private readonly rest: REST) {}

  async send(
    target: string,
    reply: Reply,
    threadOf?: string,
    key?: string,
    opts: { threadName?: string } = {},
  ): Promise<{ messageId?: string }> {
    try {
      // "@<user id>" is a person: their DM channel is opened (or found) first.
      const channel = target.startsWith("@")
        ? ((await this.rest.post(Routes.userChannels(), { body: { recipient_id: target.slice(1) } })) as APIChannel).id
        : target;
      // A thread started on a message has that message's id; it is opened on its first reply.
      if (threadOf)
        await this.rest
          .post(Routes.threads(channel, threadOf), { body: { name: "Relais", auto_archive_duration: 10080 } })
          .catch(() => undefined);
      // Discord deduplicates posts with the same enforced nonce for a few minutes: a retry after a
      // post that did go out returns the first message instead of a second one.
      const nonce = key ? createHash("sha256").update(key).digest("base64url").slice(0, 25) : undefined;
      const message = (await this.rest.post(Routes.channelMessages(threadOf ?? channel), {
        body: {
          ...toDiscord(reply),
          ...(nonce ? { nonce, enforce_nonce: true } : {}),
          // A file (the SLA report's CSV) goes as the message's attachment (multipart, files[0]).
          ...(reply.file ? { attachments: [{ id: 0, filename: reply.file.name, description: reply.file.title }] } : {}),
        },
        ...(reply.file
          ? {
              files: [
                { name: reply.file.name, data: Buffer.from(reply.file.content, "utf8"), contentType: reply.file.mime },
              ],
            }
          : {}),
      })) as APIMessage;
      // A ticket card's thread, named after the ticket, opened at once (the same id as the card). A
      // failure (already open after a retry, no permission) leaves it to the first reply's opening.
      if (opts.threadName)
        await this.rest
          .post(Routes.threads(channel, message.id), { body: { name: opts.threadName, auto_archive_duration: 10080 } })
          .catch(() => undefined);
      return { messageId: message.id };
    } catch (e) {
      throw toSendError(e);
    }
  }

  /** The card edited in place (PATCH); its thread, the same id, is untouched. */
  async edit(channel: string, messageId: string, reply: Reply): Promise<void> {
    try {
      await this.rest.patch(Routes.channelMessage(channel, messageId), { body: toDiscord(reply) });
    } catch (e) {
      throw toSendError(e);
    }
  }
}

function toSendError(e: unknown): SendError {
  if (e instanceof RateLimitError) return new SendError(RATE_LIMITED, true, e.retryAfter);
  if (e instanceof DiscordAPIError)
    return new SendError(`${e.status} ${e.code} ${e.message}`, e.status >= 500 || e.status === 429);
  if (e instanceof HTTPError) return new SendError(`HTTP ${e.status}`, true);
  return new SendError(String((e as Error).message ?? e), true);
}
