import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Relais } from "../../app.ts";
import type { Texts } from "../../i18n/index.ts";
import type { Reply } from "../../reply.ts";
import { ticketCard } from "./card.ts";
import { toBlocks } from "./blocks.ts";

/** Where a reply goes: the channel the person acted in, and how to answer them privately. */
export interface Destination {
  channel: string;
  channelName?: string;
  user: string;
  respond?: RespondFn;
}

/**
 * Delivers a reply. Private replies go to the person only. A reply about a ticket goes in the
 * ticket card's thread (the card is posted on first use, and updated in place afterwards).
 * A Slack failure is explained to the person who acted, with the reply's own text so nothing is lost.
 */
export async function deliver(
  relais: Relais,
  client: WebClient,
  x: Texts,
  reply: Reply,
  to: Destination,
  log?: Logger,
): Promise<void> {
  try {
    if (reply.ephemeral) return await privately(client, reply, to);
    if (reply.ticketId === undefined) {
      await client.chat.postMessage({ channel: to.channel, ...toBlocks(reply) });
      return;
    }
    const thread = await cardThread(relais, client, x, reply.ticketId, to.channel);
    await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.messageId, ...toBlocks(reply) });
  } catch (e) {
    const explained = explain(x, e, to, reply);
    log?.warn({ err: describe(e), channel: to.channel }, "slack delivery failed");
    if (!explained) throw e;
    try {
      await privately(client, { blocks: [{ type: "text", text: explained }], ephemeral: true }, to);
    } catch (again) {
      log?.error({ err: describe(again) }, "could not tell the user about a Slack failure");
    }
  }
}

/** The ticket's card (posted if missing, refreshed otherwise), whose thread holds its life. */
export async function cardThread(relais: Relais, client: WebClient, x: Texts, ticketId: number, channel: string) {
  const { tickets, sla, clock } = relais.services;
  const t = await tickets.get(ticketId);
  const card = ticketCard(x, t, sla, clock.now());
  const known = await relais.store.threads.get(ticketId, "slack");
  if (known) {
    await client.chat.update({ channel: known.channel, ts: known.messageId, ...card });
    return known;
  }
  const posted = await client.chat.postMessage({ channel, ...card });
  const ref = { channel: posted.channel ?? channel, messageId: posted.ts! };
  await relais.store.threads.save(ticketId, "slack", ref);
  return ref;
}

async function privately(client: WebClient, reply: Reply, to: Destination): Promise<void> {
  const body = toBlocks(reply);
  if (to.respond) await to.respond({ response_type: "ephemeral", replace_original: false, ...body });
  else await client.chat.postEphemeral({ channel: to.channel, user: to.user, ...body });
}

/** Slack API errors people can act on, in their language; undefined for the others. */
function explain(x: Texts, e: unknown, to: Destination, reply: Reply): string | undefined {
  const ref = reply.blocks
    .map((b) => ("text" in b ? b.text : ""))
    .join(" ")
    .trim();
  const err = e as { code?: string; data?: { error?: string; needed?: string } };
  const channel = to.channelName ?? to.channel;
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
