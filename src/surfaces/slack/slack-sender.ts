import {
  WebClient,
  ErrorCode,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
} from "@slack/web-api";
import type { Reply } from "../../reply.ts";
import { RATE_LIMITED, SendError, type ChannelSender } from "../../outbox/outbox.ts";
import { toBlocks } from "./blocks.ts";
import { slackFetch } from "./pooled-fetch.ts";

// Slack errors that a later attempt can fix; every other platform error is final for that post.
const TRANSIENT = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/**
 * Posts outbox entries to Slack. The client's own retries are off: the outbox retries durably,
 * honouring Retry-After, so a crash or a long Slack outage delays a post but never loses it.
 */
export class SlackSender implements ChannelSender {
  private readonly client: WebClient;

  constructor(token: string, apiUrl?: string) {
    this.client = new WebClient(token, {
      ...(apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      fetch: slackFetch,
      timeout: 10_000,
    });
  }

  async send(channel: string, reply: Reply, threadOf?: string, key?: string): Promise<{ messageId?: string }> {
    try {
      const res = await this.client.chat.postMessage({
        channel,
        ...(threadOf ? { thread_ts: threadOf } : {}),
        ...toBlocks(reply),
        // The outbox key rides in the message's metadata, so a retry can find the post.
        ...(key ? { metadata: { event_type: METADATA_TYPE, event_payload: { key } } } : {}),
      });
      await this.upload(channel, reply).catch((e: unknown) => {
        // The post is out: whatever the upload's failure (a rate limit included), the retry must
        // look for the post first, and uploads the file then.
        const err = toSendError(e);
        throw new SendError(`file upload: ${err.message}`, err.retryable, err.retryAfterMs);
      });
      return res.ts ? { messageId: res.ts } : {};
    } catch (e) {
      throw e instanceof SendError ? e : toSendError(e);
    }
  }

  /** chat.update: the card or the summary replaced in place (its metadata, the post's key, kept). */
  async edit(channel: string, messageId: string, reply: Reply): Promise<void> {
    try {
      await this.client.chat.update({ channel, ts: messageId, ...toBlocks(reply) });
    } catch (e) {
      throw toSendError(e);
    }
  }

  /**
   * A file (the SLA report's CSV) is uploaded beside its post, in the same channel, once the post is
   * out (files.uploadV2: files.getUploadURLExternal, the upload, files.completeUploadExternal). An
   * upload that fails fails the send: the retry finds the post by its key and uploads the file then.
   */
  private async upload(channel: string, reply: Reply): Promise<void> {
    if (!reply.file) return;
    await this.client.filesUploadV2({
      channel_id: channel,
      filename: reply.file.name,
      title: reply.file.title,
      content: reply.file.content,
    });
  }

  async alreadySent(channel: string, key: string, threadOf?: string, reply?: Reply): Promise<string | undefined> {
    const found = await this.find(channel, key, threadOf);
    if (found && reply?.file) {
      try {
        await this.upload(channel, reply);
      } catch (e) {
        throw toSendError(e);
      }
    }
    return found;
  }

  private async find(channel: string, key: string, threadOf?: string): Promise<string | undefined> {
    try {
      const res = threadOf
        ? await this.client.conversations.replies({ channel, ts: threadOf, limit: 100, include_all_metadata: true })
        : await this.client.conversations.history({ channel, limit: 100, include_all_metadata: true });
      const found = (res.messages ?? []).find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
        return meta?.event_type === METADATA_TYPE && meta.event_payload?.key === key;
      });
      return found?.ts;
    } catch {
      // Without channels:history the check is skipped: sending again is the lesser evil.
      return undefined;
    }
  }
}

const METADATA_TYPE = "relais_post";

function toSendError(e: unknown): SendError {
  const err = e as { code?: string };
  switch (err.code) {
    case ErrorCode.RateLimitedError:
      return new SendError(RATE_LIMITED, true, (e as WebAPIRateLimitedError).retryAfter * 1000);
    case ErrorCode.HTTPError: {
      const status = (e as WebAPIHTTPError).statusCode;
      const retryAfter = Number((e as WebAPIHTTPError).headers?.["retry-after"]);
      return new SendError(
        status === 429 ? RATE_LIMITED : `HTTP ${status}`,
        status >= 500 || status === 429,
        Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      );
    }
    case ErrorCode.RequestError:
      return new SendError("network error", true);
    case ErrorCode.PlatformError: {
      const code = (e as WebAPIPlatformError).data.error;
      return new SendError(code, TRANSIENT.has(code));
    }
    default:
      return new SendError(String((e as Error).message ?? e), true);
  }
}
