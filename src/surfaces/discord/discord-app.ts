import { AfterAck } from "../../kit/after-ack.ts";
import { answeredLate } from "../../kit/late-answer.ts";
import type { InteractionPort } from "../../kit/ports.ts";
import { CommandRecovery, type RecordedCommand } from "../../kit/recorded-commands.ts";
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type REST,
} from "discord.js";
import type { Logger } from "pino";
import type { Relais } from "../../app.ts";
import type { Lang, Texts } from "../../i18n/index.ts";
import type { Command, CommandContext, Param, Subcommand } from "../../kit/command.ts";
import { decodeValues } from "../../kit/forms.ts";
import { claimedFirst } from "../../kit/once.ts";
import { Pipeline } from "../../kit/pipeline.ts";
import { errorReply } from "../../kit/run.ts";
import type { FormDraft } from "../../store/chat-repositories.ts";
import { answer, answersRest, discordChannels, discordInteraction, EPHEMERAL } from "./discord-port.ts";
import { chosenUser, modalFor, submittedFields } from "./forms.ts";
import { discordName } from "./names.ts";
import { discordOnceKeys } from "./once.ts";
import { discordOptions } from "./registration.ts";

export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** REST base URL (proxies, tests); Discord's own by default. */
  apiUrl?: string;
  /** How often REST queues left idle are dropped (REST_QUEUE_SWEEP_MS unless told: tests shorten it). */
  restSweepMs?: number;
}

/**
 * discord.js keeps a REST queue per route and major parameter, and an interaction's follow-ups and
 * edits are routed by its token: one new queue per interaction, kept until its sweep — hourly by
 * default, which the 30-minute soak showed as a steady heap growth (~3,600 queues per quarter hour
 * at two interactions a second; issue 16). Idle queues are dropped every 30 s instead: a token's
 * queue is idle once its answer is edited, and one needed again is made again.
 */
const REST_QUEUE_SWEEP_MS = 30_000;

export interface DiscordSurface {
  client: Client;
  /** The REST that answers interactions, apart from the client's (`answersRest`). */
  replies: REST;
  /** Handles one interaction (what the gateway delivers); exposed for tests. */
  handle(interaction: Interaction): Promise<void>;
  /** Runs the commands a dead replica acknowledged but never did (started with the scheduler). */
  recovery: CommandRecovery;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Relais on Discord with discord.js: each slash command, button and modal step is taken out of its
 * interaction and handed to the pipeline (src/kit/pipeline.ts) with a Discord port; only the moves
 * of a form in steps (continue, cancel) are Discord's own. Every interaction is answered or
 * deferred at once, and the work follows.
 */
export function createDiscordSurface(
  relais: Relais,
  commands: readonly Command[],
  config: DiscordConfig,
  log?: Logger,
): DiscordSurface {
  const baseLog = log;
  // Slash commands, buttons and modals arrive as interactions: the Guilds intent is enough.
  const rest = {
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
    retries: 3,
    timeout: 15_000,
    handlerSweepInterval: config.restSweepMs ?? REST_QUEUE_SWEEP_MS,
  };
  const client = new Client({ intents: [GatewayIntentBits.Guilds], allowedMentions: { parse: [] }, rest });
  client.rest.setToken(config.token);
  // Interactions are answered apart from the bot's posts, outside its global limit (answersRest).
  const replies = answersRest(rest);
  // Work after a deferral steps aside while interactions wait for theirs (issue 16); the handler
  // still resolves once its work is done.
  const after = new AfterAck({ pressure: relais.acks, ...(log ? { log } : {}) });
  const pipeline = new Pipeline(commands, {
    queue: after,
    waitForWork: true,
    threads: relais.store.threads,
    outbox: relais.store.outbox,
    posted: () => relais.poke(),
    requests: relais.store.requests,
    drafts: relais.store.drafts,
    commands: relais.store.commands,
    leaseMs: relais.leaseMs,
    metrics: relais.metrics,
  });
  /** When each interaction arrived, for its ack's latency (the once-claims come before the pipeline). */
  const arrivals = new WeakMap<Interaction, number>();
  /** Each interaction's release of the work held while it waits for its answer or deferral. */
  const acks = new WeakMap<Interaction, () => void>();
  const channels = discordChannels(client.rest);

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
    arrivals.set(i, performance.now());
    const acked = after.arriving();
    acks.set(i, acked);
    try {
      await handling(i);
    } finally {
      acked();
    }
  }

  async function handling(i: Interaction): Promise<void> {
    // The interaction id is the request id of everything logged while handling it.
    const log = baseLog?.child({ requestId: i.id });
    log?.debug({ type: i.type }, "discord interaction");
    try {
      if (i.isChatInputCommand()) await onCommand(i, log);
      else if (i.isButton()) await onButton(i, log);
      else if (i.isModalSubmit() && (await firstTime(i, log))) await onModal(i, log);
    } catch (e) {
      if (e instanceof DiscordAPIError && e.code === 10062) {
        // The interaction expired (over 3 s unanswered, or 15 min for follow-ups): nobody to tell.
        log?.warn({ code: e.code }, "discord interaction expired");
        return;
      }
      log?.error({ err: e }, "discord interaction failed");
      if (i.isRepliable()) await answer(i, errorReply(contextOf(i).texts, e, log), replies).catch(() => undefined);
    }
  }

  /**
   * What makes an interaction one already handled: delivered again (its first delivery answered it,
   * and Discord takes one answer per interaction), or a double click (acknowledged, the message
   * left as it is). Claimed in the database before the ack, so this holds across restarts: by the
   * pipeline, with the command's record (one write), or by `firstTime` where no command follows.
   */
  const claimFirst = (i: Interaction, log: Logger | undefined): NonNullable<InteractionPort["claimFirst"]> => {
    const { delivery, click } = discordOnceKeys(i);
    return {
      keys: click ? [delivery, click] : [delivery],
      async repeated(taken) {
        log?.info("discord interaction already handled");
        if (taken === click && i.isButton()) await i.deferUpdate();
      },
    };
  };

  /** False for an interaction already handled (see `claimFirst`), which is acknowledged if it must be. */
  async function firstTime(i: Interaction, log: Logger | undefined): Promise<boolean> {
    return claimedFirst(relais.store.requests, relais.services.clock.now(), claimFirst(i, log));
  }

  const portOf = (
    i: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
    log: Logger | undefined,
    form?: { draft: FormDraft; sub: Subcommand },
  ): InteractionPort => {
    const port = discordInteraction({
      i,
      ctx: contextOf(i),
      ...(log ? { log } : {}),
      channels,
      drafts: relais.store.drafts,
      replies,
      ...(form ? { form } : {}),
      ...(arrivals.has(i) ? { receivedAt: arrivals.get(i)! } : {}),
    });
    // Whatever answers the interaction first (a deferral, an answer, a modal) lets the work go on.
    const acked = acks.get(i) ?? (() => {});
    const acking =
      <A extends unknown[]>(f: (...a: A) => Promise<void>) =>
      async (...a: A) => {
        await f(...a);
        acked();
      };
    return {
      ...port,
      ack: async (next) => {
        await port.ack(next);
        if (next === "work") acked();
      },
      answer: acking(port.answer),
      openForm: acking(port.openForm),
      formErrors: acking(port.formErrors),
      ...(port.formStep ? { formStep: acking(port.formStep) } : {}),
    };
  };
  const expired = (i: RepliableInteraction, x: Texts) => i.reply({ content: x.t("form.expired"), flags: EPHEMERAL });
  const subOf = (name: string, sub: string | null) =>
    commands.find((c) => c.name === name)?.subcommands.find((s) => s.name === sub);

  /** Options arrive already split and named: their raw text goes to the pipeline by field id. */
  async function onCommand(i: ChatInputCommandInteraction, log: Logger | undefined): Promise<void> {
    const subName = i.options.getSubcommand(false);
    const sub = subOf(i.commandName, subName);
    const options: Record<string, string> = {};
    for (const { p, name } of sub ? optionsOf(sub) : []) {
      // A user or channel option comes back resolved; the kit reads it from its mention.
      const raw =
        p.type.kind === "person"
          ? pickedUser(i, name)
          : p.type.kind === "channel"
            ? mentionOf("#", i.options.getChannel(name))
            : i.options.getString(name);
      if (raw !== null) options[p.id] = raw;
    }
    const port = { ...portOf(i, log), claimFirst: claimFirst(i, log) };
    await pipeline.handle(port, { kind: "options", command: i.commandName, sub: subName, options });
  }

  /**
   * Each subcommand's options with their Discord names, worked out once: a name is a fold and two
   * regexes, and `/ticket new` has fourteen options, read at every interaction before its deferral.
   */
  const optionNames = new Map<Subcommand, { p: Param; name: string }[]>();
  const optionsOf = (sub: Subcommand) => {
    let named = optionNames.get(sub);
    if (!named) {
      named = discordOptions(sub).map((p) => ({ p, name: discordName(p.id) }));
      optionNames.set(sub, named);
    }
    return named;
  };
  const mentionOf = (sigil: "@" | "#", picked: { id: string } | null) => (picked ? `<${sigil}${picked.id}>` : null);
  /** A User option's member as the kit reads a person: `<@id|Name>`, named as in the modals' user selects. */
  const pickedUser = (i: ChatInputCommandInteraction, name: string) => {
    const user = i.options.getUser(name);
    if (!user) return null;
    const member = i.options.getMember(name) ?? undefined;
    return chosenUser({
      values: [user.id],
      users: new Map([[user.id, user]]),
      ...(member ? { members: new Map([[user.id, member]]) } : {}),
    });
  };

  /** `relais:b:<button>:<value>` goes to the pipeline; `relais:form:next|cancel:<draft>` moves a form on. */
  async function onButton(i: ButtonInteraction, log: Logger | undefined): Promise<void> {
    const [, kind, first = "", ...rest] = i.customId.split(":");
    if (kind === "b") {
      const port = { ...portOf(i, log), claimFirst: claimFirst(i, log) };
      return pipeline.handle(port, { kind: "button", id: first, value: rest.join(":") });
    }
    if (!(await firstTime(i, log))) return;
    const ctx = contextOf(i);
    const draft = kind === "form" ? await relais.store.drafts.get(Number(rest[0])) : undefined;
    const sub = draft && subOf(draft.command, draft.sub);
    const command = commands.find((c) => c.name === draft?.command);
    if (!draft || draft.userId !== ctx.actor.id || !sub || !command) return void (await expired(i, ctx.texts));
    if (first === "cancel") {
      await relais.store.drafts.delete(draft.id);
      await i.update({ content: ctx.texts.t("discord.cancelled"), components: [] });
      return;
    }
    const initial = (await sub.defaults?.(decodeValues(sub, draft.values), ctx)) ?? {};
    await i.showModal(modalFor(ctx.texts, command, sub, draft, initial));
  }

  /** One step of a form: `relais:form:<draft>:<step>`; a step submitted twice finds its draft moved on. */
  async function onModal(i: ModalSubmitInteraction, log: Logger | undefined): Promise<void> {
    const [, , idText, stepText] = i.customId.split(":");
    const draft = await relais.store.drafts.get(Number(idText));
    const sub = draft && subOf(draft.command, draft.sub);
    const userId = `discord:${i.user.id}`;
    if (!draft || !sub || draft.userId !== userId || draft.step !== Number(stepText))
      return void (await expired(i, contextOf(i).texts));
    const state = {
      command: draft.command,
      sub: draft.sub,
      channel: draft.channel,
      given: draft.values,
      ...(draft.typed ? { typed: draft.typed } : {}),
    };
    await pipeline.handle(portOf(i, log, { draft, sub }), { kind: "form", state, fields: submittedFields(i) });
  }

  client.on(Events.InteractionCreate, (i) => void handle(i));

  // A command deferred by a replica that died before doing it: done here, once, the person
  // answered privately (their direct messages, through the outbox).
  const latePort = (c: RecordedCommand): InteractionPort => {
    const ctx = relais.context(c.actor, c.lang, c.room);
    const base: InteractionPort = {
      ctx,
      ...(baseLog ? { log: baseLog } : {}),
      channels,
      ...(c.channel ? { channel: c.channel } : {}),
      ack: async () => {},
      answer: async () => {},
      // A replay has every value: no form is opened, no field refused.
      openForm: async () => {},
      formErrors: async () => {},
    };
    return answeredLate(base, c, { outbox: relais.store.outbox, clock: relais.services.clock });
  };
  const recovery = new CommandRecovery({
    platform: "discord",
    commands: relais.store.commands,
    clock: relais.services.clock,
    leaseMs: relais.leaseMs,
    log: baseLog,
    replay: (c) => pipeline.replay(c, latePort(c)),
  });

  return {
    client,
    replies,
    handle,
    recovery,
    async start() {
      await client.login(config.token);
    },
    async stop() {
      await recovery.stop();
      await after.drain();
      await client.destroy();
    },
  };
}
