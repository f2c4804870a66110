import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type ModalSubmitInteraction,
  Routes,
  type Interaction,
  type RepliableInteraction,
} from "discord.js";
import type { APIMessage, APIThreadChannel } from "discord-api-types/v10";
import type { Logger } from "pino";
import type { Relais } from "../../app.ts";
import { isRelaisError, RelaisError } from "../../errors.ts";
import type { Lang, Texts } from "../../i18n/index.ts";
import { buttonValue, type Command, type CommandContext, type Subcommand, type Values } from "../../kit/command.ts";
import { missingParams, parseValue } from "../../kit/parse.ts";
import type { Reply } from "../../reply.ts";
import { commandHelp, errorReply, execute } from "../../kit/run.ts";
import { ref } from "../../tickets/model.ts";
import { continueRow, decode, encode, formSteps, modalFor, readStep } from "./forms.ts";
import { clip, ticketCard, toDiscord, type DiscordMessage } from "./messages.ts";
import { discordName } from "./names.ts";
import { discordOptions } from "./registration.ts";

export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** REST base URL (proxies, tests); Discord's own by default. */
  apiUrl?: string;
}

export interface DiscordSurface {
  client: Client;
  /** Handles one interaction (what the gateway delivers); exposed for tests. */
  handle(interaction: Interaction): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const EPHEMERAL = MessageFlags.Ephemeral;

/**
 * Relais on Discord with discord.js: the commands of `commands/` as slash commands with
 * subcommands, forms as modals of at most five inputs (in steps, with a stored draft), tickets as
 * embeds with buttons and one thread each. Every interaction is answered or deferred at once.
 */
export function createDiscordSurface(
  relais: Relais,
  commands: readonly Command[],
  config: DiscordConfig,
  log?: Logger,
  buttons: Readonly<Record<string, { command: string; sub: string }>> = {},
): DiscordSurface {
  const baseLog = log;
  // Slash commands, buttons and modals arrive as interactions: the Guilds intent is enough.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { ...(config.apiUrl ? { api: config.apiUrl } : {}), retries: 3, timeout: 15_000 },
  });
  client.rest.setToken(config.token);
  const clock = relais.services.clock;

  const contextOf = (i: Interaction): CommandContext => {
    const lang: Lang = i.locale?.startsWith("fr")
      ? "fr"
      : i.locale?.startsWith("en")
        ? "en"
        : relais.services.policy.language;
    const name =
      (i.member && "displayName" in i.member ? i.member.displayName : undefined) ??
      i.user.globalName ??
      i.user.username;
    // A cached guild gives a GuildMember, an uncached one the raw member with role ids.
    const roles = !i.member ? [] : Array.isArray(i.member.roles) ? i.member.roles : [...i.member.roles.cache.keys()];
    return relais.context(
      { id: `discord:${i.user.id}`, name, roles },
      lang,
      i.channelId ? { platform: "discord", channel: i.channelId } : undefined,
    );
  };

  async function handle(i: Interaction): Promise<void> {
    // The interaction id is the request id of everything logged while handling it.
    const log = baseLog?.child({ requestId: i.id });
    log?.debug({ type: i.type }, "discord interaction");
    try {
      if (i.isChatInputCommand()) await onCommand(i);
      else if (i.isButton()) await onButton(i);
      else if (i.isModalSubmit()) await onModal(i);
    } catch (e) {
      if (e instanceof DiscordAPIError && e.code === 10062) {
        // The interaction expired (over 3 s unanswered, or 15 min for follow-ups): nobody to tell.
        log?.warn({ code: e.code }, "discord interaction expired");
        return;
      }
      log?.error({ err: e }, "discord interaction failed");
      if (i.isRepliable()) {
        const x = contextOf(i).texts;
        await answer(i, errorReply(x, e, log)).catch(() => undefined);
      }
    }
  }

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const ctx = contextOf(i);
    const command = commands.find((c) => c.name === i.commandName);
    const sub = command?.subcommands.find((s) => s.name === i.options.getSubcommand(false));
    if (!command || !sub) {
      await answer(i, commandHelp(ctx.texts, command ?? commands[0]!));
      return;
    }
    const values: Record<string, Values[string]> = {};
    try {
      for (const p of discordOptions(sub)) {
        const raw = i.options.getString(discordName(p.id));
        if (raw !== null) values[p.id] = parseValue(p, raw, { texts: ctx.texts, clock });
      }
    } catch (e) {
      await answer(i, errorReply(ctx.texts, e, log));
      return;
    }
    if (missingParams(sub, values).length > 0) {
      await openForm(i, ctx, command, sub, values);
      return;
    }
    await i.deferReply({ flags: EPHEMERAL });
    await deliver(i, ctx, await execute(sub, values, ctx, log));
  }

  /** Opens the form's next step; a form already in progress for that command is offered back. */
  async function openForm(
    i: ChatInputCommandInteraction | ButtonInteraction,
    ctx: CommandContext,
    command: Command,
    sub: Subcommand,
    given: Values,
  ): Promise<void> {
    const x = ctx.texts;
    const userId = ctx.actor.id;
    const pending = i.isChatInputCommand()
      ? await relais.store.drafts.latest(userId, command.name, sub.name)
      : undefined;
    if (pending && pending.step > 0) {
      const total = pending.step + formSteps(sub, pending.values).length;
      await i.reply({
        content: x.t("discord.in_progress", { step: pending.step, total }),
        components: [continueRow(x, pending.id, x.t("discord.continue", { step: pending.step + 1, total })).toJSON()],
        flags: EPHEMERAL,
      });
      return;
    }
    try {
      await sub.precheck?.(given, ctx);
    } catch (e) {
      await answer(i, errorReply(x, e, log));
      return;
    }
    const draft = await relais.store.drafts.create(
      { userId, command: command.name, sub: sub.name, channel: i.channelId ?? "", step: 0, values: encode(given) },
      clock.now(),
    );
    await i.showModal(modalFor(x, command, sub, draft, (await sub.defaults?.(given, ctx)) ?? {}));
  }

  async function onButton(i: ButtonInteraction): Promise<void> {
    const ctx = contextOf(i);
    const x = ctx.texts;
    const [, kind, action, idText] = i.customId.split(":");
    const id = Number(idText);
    if (kind === "t") {
      const ticket = commands.find((c) => c.name === "ticket")!;
      const sub = ticket.subcommands.find((s) => s.name === action);
      if (!sub) return;
      if (action === "take") {
        await i.deferReply({ flags: EPHEMERAL });
        await deliver(i, ctx, await execute(sub, { ref: id }, ctx, log));
      } else await openForm(i, ctx, ticket, sub, { ref: id });
      return;
    }
    if (kind === "a") {
      // A routed button (the escalation note's): its subcommand's form opens on that reference.
      const route = buttons[action ?? ""];
      const command = commands.find((c) => c.name === route?.command);
      const sub = command?.subcommands.find((s) => s.name === route?.sub);
      if (!command || !sub) {
        await i.reply({ content: x.t("discord.expired"), flags: EPHEMERAL });
        return;
      }
      const given = { ref: buttonValue(sub, idText ?? "") };
      if (missingParams(sub, given).length === 0) {
        await i.deferReply({ flags: EPHEMERAL });
        await deliver(i, ctx, await execute(sub, given, ctx, log));
      } else await openForm(i, ctx, command, sub, given);
      return;
    }
    if (kind === "form") {
      const draft = await relais.store.drafts.get(id);
      if (!draft || draft.userId !== ctx.actor.id) {
        await i.reply({ content: x.t("discord.expired"), flags: EPHEMERAL });
        return;
      }
      if (action === "cancel") {
        await relais.store.drafts.delete(draft.id);
        await i.update({ content: x.t("discord.cancelled"), components: [] });
        return;
      }
      const command = commands.find((c) => c.name === draft.command)!;
      const sub = command.subcommands.find((s) => s.name === draft.sub)!;
      await i.showModal(modalFor(x, command, sub, draft, (await sub.defaults?.(decode(sub, draft.values), ctx)) ?? {}));
    }
  }

  async function onModal(i: ModalSubmitInteraction): Promise<void> {
    const ctx = contextOf(i);
    const x = ctx.texts;
    const [, , idText, stepText] = i.customId.split(":");
    const draft = await relais.store.drafts.get(Number(idText));
    // A step submitted twice (double click, retry) or a draft already sent: nothing more happens.
    if (!draft || draft.userId !== ctx.actor.id || draft.step !== Number(stepText)) {
      await i.reply({ content: x.t("discord.expired"), flags: EPHEMERAL });
      return;
    }
    const command = commands.find((c) => c.name === draft.command)!;
    const sub = command.subcommands.find((s) => s.name === draft.sub)!;
    const read = readStep(x, clock, sub, draft, i);
    if (!read.ok) {
      const total = draft.step + formSteps(sub, draft.values).length;
      await i.reply({
        content: clip(read.errors.join("\n"), 1900),
        components: [continueRow(x, draft.id, `${x.t("discord.retry")} (${draft.step + 1}/${total})`).toJSON()],
        flags: EPHEMERAL,
      });
      return;
    }
    const left = formSteps(sub, read.values);
    if (left.length > 0) {
      const done = draft.step + 1;
      const total = done + left.length;
      await relais.store.drafts.save(draft.id, done, read.values, clock.now());
      await i.reply({
        content: x.t("discord.step_saved", { step: done, total }),
        components: [continueRow(x, draft.id, x.t("discord.continue", { step: done + 1, total })).toJSON()],
        flags: EPHEMERAL,
      });
      return;
    }
    await relais.store.drafts.delete(draft.id);
    await i.deferReply({ flags: EPHEMERAL });
    const values = decode(sub, read.values);
    const missing = missingParams(sub, values);
    const reply = missing.length
      ? errorReply(x, new RelaisError("field_required", { field: missing[0]!.label }))
      : await execute(sub, values, ctx, log);
    await deliver(i, ctx, reply);
  }

  /** The reply to the person (deferred or not), always private. */
  async function answer(i: RepliableInteraction, reply: Reply): Promise<void> {
    const body = toDiscord(reply);
    if (i.deferred || i.replied) await i.editReply({ embeds: body.embeds, allowedMentions: { parse: [] } });
    else await i.reply({ embeds: body.embeds, allowedMentions: { parse: [] }, flags: EPHEMERAL });
  }

  /**
   * Public replies about a ticket go in its thread (card posted on first use, edited in place
   * after); other public replies go to the channel. The person always gets the reply privately too.
   */
  async function deliver(
    i: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
    ctx: CommandContext,
    reply: Reply,
  ): Promise<void> {
    const x = ctx.texts;
    if (!reply.ephemeral && i.channelId) {
      try {
        if (reply.ticketId !== undefined) {
          const thread = await ticketThread(x, reply.ticketId, i.channelId);
          await client.rest.post(Routes.channelMessages(thread), { body: toDiscord(reply) });
        } else {
          await client.rest.post(Routes.channelMessages(i.channelId), { body: toDiscord(reply) });
        }
      } catch (e) {
        const explained = explain(x, e, reply);
        if (!explained) throw e;
        log?.warn({ code: (e as DiscordAPIError).code }, "discord post failed");
        await answer(i, { blocks: [{ type: "text", text: explained }], ephemeral: true });
        return;
      }
    }
    await answer(i, reply);
  }

  /** The ticket's thread: its id is the card message's id (Discord names threads after their start). */
  async function ticketThread(x: Texts, ticketId: number, channel: string): Promise<string> {
    const t = await relais.services.tickets.get(ticketId);
    const card: DiscordMessage = ticketCard(x, t, relais.services.sla, clock.now());
    const known = await relais.store.threads.get(ticketId, "discord");
    if (known) {
      await client.rest.patch(Routes.channelMessage(known.channel, known.messageId), { body: card });
      return known.messageId;
    }
    const message = (await client.rest.post(Routes.channelMessages(channel), { body: card })) as APIMessage;
    const thread = (await client.rest.post(Routes.threads(channel, message.id), {
      body: { name: clip(`${ref(t.id)} · ${t.title}`, 100), auto_archive_duration: 10080 },
    })) as APIThreadChannel;
    await relais.store.threads.save(ticketId, "discord", { channel, messageId: thread.id });
    return thread.id;
  }

  client.on(Events.InteractionCreate, (i) => void handle(i));

  return {
    client,
    handle,
    async start() {
      await client.login(config.token);
    },
    async stop() {
      await client.destroy();
    },
  };
}

/** Discord errors people can act on, in their language, with the reply's text so nothing is lost. */
function explain(x: Texts, e: unknown, reply: Reply): string | undefined {
  if (!(e instanceof DiscordAPIError))
    return isRelaisError(e) ? undefined : x.t("discord.error.unavailable", { ref: text(reply) });
  if (e.code === 50013 || e.code === 50001) return x.t("discord.error.missing_permissions", { ref: text(reply) });
  if (e.code === 10003) return x.t("discord.error.unknown_channel", { ref: text(reply) });
  if (e.status >= 500) return x.t("discord.error.unavailable", { ref: text(reply) });
  return undefined;
}

function text(reply: Reply): string {
  return reply.blocks
    .map((b) => ("text" in b ? b.text : ""))
    .join(" ")
    .trim();
}
