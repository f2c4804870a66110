import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  MessageFlags,
  type ModalSubmitInteraction,
  REST,
  type RESTOptions,
  type RepliableInteraction,
  Routes,
} from "discord.js";
import type { APIMessage, RESTPatchAPIWebhookWithTokenMessageJSONBody } from "discord-api-types/v10";
import type { Logger } from "pino";
import { isRelaisError } from "../../errors.ts";
import type { Texts } from "../../i18n/index.ts";
import type { CommandContext, Subcommand } from "../../kit/command.ts";
import type { ChannelPort, InteractionPort } from "../../kit/ports.ts";
import { replyText, type Reply } from "../../reply.ts";
import type { DraftRepository, FormDraft } from "../../store/chat-repositories.ts";
import { continueRow, modalFor, modalSteps } from "./forms.ts";
import { clip, toDiscord } from "./messages.ts";

export const EPHEMERAL = MessageFlags.Ephemeral;

/** Posting on Discord: a ticket's thread is a channel opened on its card (same id as the card). */
export function discordChannels(rest: REST): ChannelPort {
  return {
    platform: "discord",
    async post(channel, reply) {
      const message = (await rest.post(Routes.channelMessages(channel), { body: toDiscord(reply) })) as APIMessage;
      return { channel, messageId: message.id };
    },
    async postInThread(thread, reply) {
      await rest.post(Routes.channelMessages(thread.messageId), { body: toDiscord(reply) });
    },
  };
}

/**
 * The reply to the person (deferred or not), always private. A deferred one is edited on the
 * interaction's webhook through `replies`, the REST that answers interactions (see `answersRest`).
 */
export async function answer(i: RepliableInteraction, reply: Reply, replies: REST): Promise<void> {
  const { embeds, components = [] } = toDiscord(reply);
  // Buttons only when the reply has some (a refused form's "Reopen the form").
  const shown = { embeds, ...(components.length ? { components } : {}) };
  if (i.deferred || i.replied) {
    const body: RESTPatchAPIWebhookWithTokenMessageJSONBody = { ...shown, allowed_mentions: { parse: [] } };
    await replies.patch(Routes.webhookMessage(i.applicationId, i.token), { body, auth: false });
  } else await i.reply({ ...shown, allowedMentions: { parse: [] }, flags: EPHEMERAL });
}

/**
 * The REST that answers interactions, beside the client's. Discord does not count the interaction
 * endpoints (a deferred reply's edit on the interaction's webhook) against the bot's global limit of
 * 50 requests a second, but discord.js counts every request of one REST against it: behind a burst
 * of cards (500 tickets, 500 posts) each person's answer waited its turn among them, and the
 * tickets' work with it (~50 a second; issue 16). Each route keeps its own limits here.
 */
export function answersRest(options: Partial<RESTOptions>): REST {
  return new REST({ ...options, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
}

/**
 * One Discord interaction as the pipeline's port. A form is shown in modals of five inputs, what
 * was typed kept in a stored draft between steps (`form`: the draft a submitted step belongs to).
 */
export function discordInteraction(o: {
  i: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;
  ctx: CommandContext;
  log?: Logger;
  channels: ChannelPort;
  drafts: DraftRepository;
  form?: { draft: FormDraft; sub: Subcommand };
  /** When the interaction arrived (performance.now()). */
  receivedAt?: number;
  /** The REST that answers interactions (`answersRest`). */
  replies: REST;
}): InteractionPort {
  const { i, ctx, drafts } = o;
  const x = ctx.texts;
  const now = () => ctx.services.clock.now();
  const stepReply = (content: string, draftId: number, label: string) =>
    i.reply({ content, components: [continueRow(x, draftId, label)], flags: EPHEMERAL });
  return {
    ctx,
    ...(o.log ? { log: o.log } : {}),
    channels: o.channels,
    ...(i.channelId ? { channel: i.channelId } : {}),
    // Every interaction ends with a private answer, public replies included.
    echoPublic: true,
    formStepSize: 5,
    // The modal is the acknowledgement: nothing is sent before it.
    formIsAck: true,
    ...(o.receivedAt !== undefined ? { receivedAt: o.receivedAt } : {}),
    async ack(next) {
      if (next === "work") await i.deferReply({ flags: EPHEMERAL });
    },
    answer: (reply) => answer(i, reply, o.replies),
    async openForm({ command, sub, state, initial }) {
      if (i.isModalSubmit()) throw new Error("a modal cannot open from a modal");
      // A form already in progress for that command is offered back rather than started again.
      const pending = i.isChatInputCommand() ? await drafts.latest(ctx.actor.id, command.name, sub.name) : undefined;
      if (pending && pending.step > 0) {
        const total = pending.step + modalSteps(sub, pending.values).length;
        const label = x.t("discord.continue", { step: pending.step + 1, total });
        await stepReply(x.t("discord.in_progress", { step: pending.step, total }), pending.id, label);
        return;
      }
      const values = state.given;
      // What the form shows filled in is kept with it, so every step shows its part (a reopened form).
      const draft = await drafts.create(
        {
          userId: ctx.actor.id,
          command: command.name,
          sub: sub.name,
          channel: state.channel,
          step: 0,
          values,
          typed: initial,
        },
        now(),
      );
      await i.showModal(modalFor(x, command, sub, draft));
    },
    async formErrors(errors, typed) {
      if (!o.form) return;
      const { draft, sub } = o.form;
      // A modal cannot answer with a modal: what was typed is kept, and "Fix it" shows the step filled in.
      await drafts.save(draft.id, draft.step, draft.values, now(), typed);
      const total = draft.step + modalSteps(sub, draft.values).length;
      const label = `${x.t("discord.retry")} (${draft.step + 1}/${total})`;
      await stepReply(clip(Object.values(errors).join("\n"), 1900), draft.id, label);
    },
    async formStep(given, stepsLeft, typed) {
      if (!o.form) return;
      const { draft } = o.form;
      if (stepsLeft === 0) return drafts.delete(draft.id);
      const done = draft.step + 1;
      const total = done + stepsLeft;
      await drafts.save(draft.id, done, given, now(), typed);
      const label = x.t("discord.continue", { step: done + 1, total });
      await stepReply(x.t("discord.step_saved", { step: done, total }), draft.id, label);
    },
    explain(e, reply) {
      const explained = explain(x, e, replyText(reply));
      if (explained) o.log?.warn({ code: (e as DiscordAPIError).code }, "discord post failed");
      return explained;
    },
  };
}

/** Discord errors people can act on, in their language, with the reply's text so nothing is lost. */
function explain(x: Texts, e: unknown, ref: string): string | undefined {
  if (!(e instanceof DiscordAPIError)) return isRelaisError(e) ? undefined : x.t("discord.error.unavailable", { ref });
  if (e.code === 50013 || e.code === 50001) return x.t("discord.error.missing_permissions", { ref });
  if (e.code === 10003) return x.t("discord.error.unknown_channel", { ref });
  if (e.status >= 500) return x.t("discord.error.unavailable", { ref });
  return undefined;
}
