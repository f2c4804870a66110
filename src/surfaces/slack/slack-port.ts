import type { OnceKey } from "../../kit/once.ts";
import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Texts } from "../../i18n/index.ts";
import type { CommandContext } from "../../kit/command.ts";
import type { FormSeal } from "../../kit/form-seal.ts";
import type { ChannelPort, InteractionPort } from "../../kit/ports.ts";
import { replyText, type Reply } from "../../reply.ts";
import { toBlocks } from "./blocks.ts";
import { formView } from "./forms.ts";

/** Posting on Slack: a thread is the replies under a message (thread_ts), nothing to open. */
export function slackChannels(client: WebClient): ChannelPort {
  return {
    platform: "slack",
    async post(channel, reply) {
      const posted = await client.chat.postMessage({ channel, ...toBlocks(reply) });
      return { channel: posted.channel ?? channel, messageId: posted.ts! };
    },
    async postInThread(thread, reply) {
      await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.messageId, ...toBlocks(reply) });
    },
  };
}

export interface SlackRequest {
  client: WebClient;
  channels: ChannelPort;
  ctx: CommandContext;
  log?: Logger;
  /** Signs the state a modal carries in its private_metadata. */
  seal: FormSeal;
  channel: string;
  channelName?: string;
  user: string;
  /** The delivery's keys, claimed after the ack (src/kit/once.ts). */
  once?: readonly OnceKey[];
  triggerId?: string;
  respond?: RespondFn;
  ack(): Promise<void>;
  /** The request's response_url, for an answer by another process (src/kit/late-answer.ts). */
  responseUrl?: string;
  /** Slash commands: the ack itself can carry a private answer (errors, help). */
  ackWith?(reply: Reply): Promise<void>;
  /** Modal submissions: the ack shows an error beside each refused field. */
  ackErrors?(errors: Record<string, string>): Promise<void>;
}

/**
 * One Slack request (slash command, button, modal submission, event) as the pipeline's port. Bolt's
 * ack functions hold the request and its response (HTTPResponseAck): they are let go once the
 * request is acknowledged, so the work queued behind a burst's acks does not keep every request
 * of the burst alive until it runs (~10 KB each, issue 16).
 */
export function slackInteraction({
  ack: boltAck,
  ackWith: boltAckWith,
  ackErrors,
  ...o
}: SlackRequest): InteractionPort {
  const x = o.ctx.texts;
  let acks: Pick<SlackRequest, "ack" | "ackWith" | "ackErrors"> | undefined = {
    ack: boltAck,
    ...(boltAckWith ? { ackWith: boltAckWith } : {}),
    ...(ackErrors ? { ackErrors } : {}),
  };
  /** Bolt's ack functions, the first time only (undefined once acknowledged). */
  const acking = () => {
    const a = acks;
    acks = undefined;
    return a;
  };
  const ack = async () => {
    await acking()?.ack();
  };
  return {
    ctx: o.ctx,
    ...(o.log ? { log: o.log } : {}),
    ...(o.once ? { once: o.once } : {}),
    ...(o.responseUrl ? { answerLater: { responseUrl: o.responseUrl } } : {}),
    channels: o.channels,
    channel: o.channel,
    ack,
    async answer(reply) {
      const a = acking();
      if (a?.ackWith) return a.ackWith(reply);
      await a?.ack();
      const body = toBlocks(reply);
      if (o.respond) await o.respond({ response_type: "ephemeral", replace_original: false, ...body });
      else await o.client.chat.postEphemeral({ channel: o.channel, user: o.user, ...body });
    },
    async openForm(form) {
      // trigger_id lives 3 seconds: the modal opens right after the ack and the quick precheck.
      await o.client.views.open({
        trigger_id: o.triggerId ?? "",
        view: { ...formView(x, form, o.seal.seal(form.state, o.user)), notify_on_close: true },
      });
    },
    async formErrors(errors) {
      await acking()?.ackErrors?.(errors);
    },
    explain(e, reply) {
      o.log?.warn({ err: describe(e), channel: o.channel }, "slack delivery failed");
      // Its name when Slack gave it, else its mention (Slack shows the name).
      return explain(x, e, o.channelName ? `#${o.channelName}` : `<#${o.channel}>`, replyText(reply));
    },
  };
}

/** Slack API errors people can act on, in their language; undefined for the others. */
function explain(x: Texts, e: unknown, channel: string, ref: string): string | undefined {
  const err = e as { code?: string; data?: { error?: string; needed?: string } };
  if (err.code === "slack_webapi_platform_error") {
    switch (err.data?.error) {
      case "not_in_channel":
        return x.t("slack.error.not_in_channel", { channel, ref });
      case "channel_not_found":
      case "is_archived":
        return x.t("slack.error.channel_not_found", { ref });
      case "missing_scope":
        return x.t("slack.error.missing_scope", { scope: err.data.needed ?? "?", ref });
    }
    return undefined;
  }
  if (
    err.code === "slack_webapi_rate_limited" ||
    err.code === "slack_webapi_http_error" ||
    err.code === "slack_webapi_request_error"
  ) {
    return x.t("slack.error.unavailable", { ref });
  }
  return undefined;
}

/** An error as logs may hold it: never the request (whose headers carry the token). */
function describe(e: unknown): { code?: string; error?: string; message: string } {
  const err = e as { code?: string; data?: { error?: string }; message?: string };
  return {
    ...(err.code ? { code: err.code } : {}),
    ...(err.data?.error ? { error: err.data.error } : {}),
    message: String(err.message ?? e),
  };
}
