import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { App, LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "pino";
import type { Relais } from "../../app.ts";
import { buttonValue, type Command, type CommandContext, type Subcommand } from "../../kit/command.ts";
import { type Invocation, missingParams, resolveText } from "../../kit/parse.ts";
import { commandHelp, errorReply, execute } from "../../kit/run.ts";
import { ref } from "../../tickets/model.ts";
import { threePart } from "../../tickets/views.ts";
import type { Actor } from "../../timeline/events.ts";
import { toBlocks } from "./blocks.ts";
import { CARD_ACTIONS } from "./card.ts";
import { deliver } from "./deliver.ts";
import { AfterAck } from "../../kit/after-ack.ts";
import { SlackIncidentRooms } from "./incident-rooms.ts";
import {
  FORM_CALLBACK_ID,
  encodeValues,
  formView,
  readSubmission,
  type FormState,
  type ViewStateValues,
} from "./forms.ts";

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set (no public URL needed). */
  appToken?: string;
  /** Web API base URL (GovSlack, proxies, tests); Slack's own by default. */
  apiUrl?: string;
  port: number;
  /** Skips the auth.test call at construction (tests, or when known). */
  botUserId?: string;
}

export interface SlackSurface {
  app: App;
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

/** Slack's payloads escape &, < and > in typed text; the command layer wants what was typed. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Relais on Slack with Bolt: the commands of `commands/` as slash commands, forms as modals, ticket
 * cards with buttons and one thread per ticket. Every request is acknowledged before the work.
 */
export function createSlackSurface(
  relais: Relais,
  commands: readonly Command[],
  config: SlackConfig,
  log?: Logger,
  buttons: Readonly<Record<string, { command: string; sub: string }>> = {},
): SlackSurface {
  const socketMode = config.appToken !== undefined;
  const app = new App({
    token: config.botToken,
    ...(socketMode ? { appToken: config.appToken, socketMode: true } : { signingSecret: config.signingSecret }),
    ...(config.botUserId ? { botUserId: config.botUserId, botId: config.botUserId } : {}),
    logger: boltLogger(log),
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith("/") ? config.apiUrl : `${config.apiUrl}/` } : {}),
      // A few quick retries on 5xx and network errors; 429s wait for Retry-After (never minutes of retries).
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      rejectRateLimitedCalls: false,
      timeout: 10_000,
    },
    ...(socketMode
      ? {}
      : {
          customRoutes: [
            {
              path: "/healthz",
              method: ["GET"],
              handler: async (_req, res) => {
                const ok = await relais.store.ping();
                res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
                res.end(JSON.stringify({ ok }));
              },
            },
          ],
        }),
  });

  relais.services.outages.registerRooms("slack", new SlackIncidentRooms(app.client));
  /** Opens a subcommand's form as a modal, with its defaults filled in. */
  const openModal = async (
    client: App["client"],
    triggerId: string,
    ctx: CommandContext,
    command: Command,
    target: Subcommand,
    state: FormState,
  ) => {
    const initial = (await target.defaults?.(state.given, ctx)) ?? {};
    await client.views.open({
      trigger_id: triggerId,
      view: { ...formView(ctx.texts, command, target, state, initial), notify_on_close: true },
    });
  };
  const after = new AfterAck({ ...(log ? { log } : {}) });
  const requestLog = (context: Record<string, unknown>) => log?.child({ requestId: context.requestId });
  const actorOf = (id: string, name?: string): Actor => ({ id: `slack:${id}`, name: name ?? id });
  const clock = relais.services.clock;

  // A redelivered event (X-Slack-Retry-Num) is handled once: the first delivery claimed its id.
  // Every request gets an id, logged with what it was, and carried by the logs of its handling.
  app.use(async ({ body, context, next }) => {
    context.requestId = randomUUID();
    log?.debug(
      { requestId: context.requestId, type: (body as { type?: string }).type ?? "slash_command" },
      "slack request",
    );
    after.noteRequest();
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await relais.store.requests.claim(`slack:event:${eventId}`, clock.now()))) return;
    await next();
  });

  for (const command of commands) {
    app.command(`/${command.name}`, async ({ command: payload, ack, respond, client, context }) => {
      const log = requestLog(context);
      const ctx = relais.context(actorOf(payload.user_id, payload.user_name), undefined, {
        platform: "slack",
        channel: payload.channel_id,
      });
      const x = ctx.texts;
      let inv: Invocation;
      try {
        inv = resolveText(command, unescapeSlack(payload.text ?? ""), { texts: x, clock });
      } catch (e) {
        await ack({ response_type: "ephemeral", ...toBlocks(errorReply(x, e, log)) });
        return;
      }
      if (inv.kind === "help") {
        await ack({ response_type: "ephemeral", ...toBlocks(commandHelp(x, inv.command, inv.sub)) });
        return;
      }
      await ack();
      if (inv.missing.length > 0) {
        try {
          await inv.sub.precheck?.(inv.values, ctx);
        } catch (e) {
          await respond({ response_type: "ephemeral", ...toBlocks(errorReply(x, e, log)) });
          return;
        }
        // trigger_id lives 3 seconds: the modal opens right after the ack and the quick check.
        const state: FormState = {
          command: command.name,
          sub: inv.sub.name,
          channel: payload.channel_id,
          given: encodeValues(inv.values),
        };
        await openModal(client, payload.trigger_id, ctx, command, inv.sub, state);
        return;
      }
      const { sub, values } = inv;
      after.push(async () => {
        const reply = await execute(sub, values, ctx, log);
        await deliver(
          relais,
          client,
          x,
          reply,
          { channel: payload.channel_id, channelName: payload.channel_name, user: payload.user_id, respond },
          log,
        );
      });
    });
  }

  const ticketCommand = commands.find((c) => c.name === "ticket");
  if (ticketCommand) {
    const sub = (name: string) => ticketCommand.subcommands.find((s) => s.name === name)!;
    app.action(CARD_ACTIONS.take, async ({ ack, body, action, client, respond }) => {
      await ack();
      const b = body as {
        user: { id: string; name?: string; username?: string };
        channel?: { id: string; name?: string };
      };
      const ctx = relais.context(actorOf(b.user.id, b.user.name ?? b.user.username));
      const id = Number((action as { value?: string }).value);
      after.push(async () => {
        const reply = await execute(sub("take"), { ref: id }, ctx, log);
        await deliver(
          relais,
          client,
          ctx.texts,
          reply,
          {
            channel: b.channel?.id ?? "",
            ...(b.channel?.name ? { channelName: b.channel.name } : {}),
            user: b.user.id,
            respond,
          },
          log,
        );
      });
    });
    for (const [action, subName] of [
      [CARD_ACTIONS.update, "update"],
      [CARD_ACTIONS.resolve, "resolve"],
    ] as const) {
      app.action(action, async ({ ack, body, action: a, client }) => {
        await ack();
        const b = body as { trigger_id: string; user: { id: string; name?: string }; channel?: { id: string } };
        const ctx = relais.context(actorOf(b.user.id, b.user.name));
        const state: FormState = {
          command: "ticket",
          sub: subName,
          channel: b.channel?.id ?? "",
          given: { ref: Number((a as { value?: string }).value) },
        };
        try {
          await sub(subName).precheck?.({ ref: state.given.ref }, ctx);
        } catch (e) {
          await client.chat
            .postEphemeral({ channel: state.channel, user: b.user.id, ...toBlocks(errorReply(ctx.texts, e, log)) })
            .catch(() => undefined);
          return;
        }
        await openModal(client, b.trigger_id, ctx, ticketCommand, sub(subName), state);
      });
    }
  }

  // Buttons routed to a subcommand (the escalation note's): the form opens, or it runs at once.
  for (const [actionId, route] of Object.entries(buttons)) {
    app.action(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const b = body as {
        trigger_id: string;
        user: { id: string; name?: string; username?: string };
        channel?: { id: string; name?: string };
      };
      const command = commands.find((c) => c.name === route.command);
      const target = command?.subcommands.find((s) => s.name === route.sub);
      if (!command || !target) return;
      const channel = b.channel?.id ?? "";
      const ctx = relais.context(actorOf(b.user.id, b.user.name ?? b.user.username), undefined, {
        platform: "slack",
        channel,
      });
      const given = { ref: buttonValue(target, (action as { value?: string }).value ?? "") };
      try {
        await target.precheck?.(given, ctx);
      } catch (e) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          ...toBlocks(errorReply(ctx.texts, e, log)),
        });
        return;
      }
      if (missingParams(target, given).length === 0) {
        after.push(async () => {
          const reply = await execute(target, given, ctx, log);
          await deliver(relais, client, ctx.texts, reply, { channel, user: b.user.id, respond }, log);
        });
        return;
      }
      const state: FormState = { command: command.name, sub: target.name, channel, given };
      await openModal(client, b.trigger_id, ctx, command, target, state);
    });
  }

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, client, context }) => {
    const log = requestLog(context);
    const user = body.user as { id: string; name?: string };
    let state: FormState;
    try {
      state = JSON.parse(view.private_metadata) as FormState;
    } catch {
      // Not a form of ours (or tampered with): acknowledged, nothing happens.
      await ack();
      return;
    }
    const ctx = relais.context(
      actorOf(user.id, user.name),
      undefined,
      state.channel ? { platform: "slack", channel: state.channel } : undefined,
    );
    const x = ctx.texts;
    const command = commands.find((c) => c.name === state.command);
    const target = command?.subcommands.find((s) => s.name === state.sub);
    if (!command || !target) {
      await ack();
      return;
    }
    const parsed = readSubmission(x, clock, target, state, view.state.values as ViewStateValues);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    await ack();
    after.push(async () => {
      // A modal submitted twice (double click, network retry) carries the same view id.
      if (!(await relais.store.requests.claim(`slack:view:${view.id}`, clock.now()))) return;
      const reply = await execute(target, parsed.values, ctx, log);
      await deliver(relais, client, x, reply, { channel: state.channel, user: user.id }, log);
    });
  });

  // Closing a form saves nothing; acknowledged so Slack does not report an error.
  app.view({ callback_id: FORM_CALLBACK_ID, type: "view_closed" }, async ({ ack }) => {
    await ack();
  });

  // "@Relais T-12?" — the stable three-part answer to follow-ups (seed 002, "disque rayé").
  app.event("app_mention", async ({ event, client }) => {
    const refs = [...new Set([...event.text.matchAll(/\bT-(\d{1,9})\b/gi)].map((m) => Number(m[1])))].slice(0, 5);
    if (refs.length === 0) return;
    const ctx = relais.context(actorOf(event.user ?? "unknown"));
    const lines: string[] = [];
    for (const id of refs) {
      const t = await relais.store.tickets.get(id);
      lines.push(
        t ? `${ref(t.id)} — ${threePart(ctx.texts, t)}` : ctx.texts.t("error.ticket_not_found", { ref: ref(id) }),
      );
    }
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      ...toBlocks({ blocks: lines.map((text) => ({ type: "text" as const, text })), ephemeral: false }),
    });
  });

  app.error(async (error) => {
    log?.error({ code: (error as { code?: string }).code, message: error.message }, "slack handler failed");
  });

  let server: Server | undefined;
  return {
    app,
    async start() {
      if (socketMode) {
        await app.start();
        return {};
      }
      server = (await app.start(config.port)) as Server;
      const address = server.address();
      return { port: typeof address === "object" && address ? address.port : config.port };
    },
    async stop() {
      await app.stop();
      await after.drain();
    },
  };
}

/** Bolt's logger interface over pino, so Bolt's own logs are JSON lines like ours. */
function boltLogger(log?: Logger): BoltLogger {
  const child = log?.child({ component: "bolt" });
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: (...m) => child?.debug(m.map(String).join(" ")),
    info: (...m) => child?.info(m.map(String).join(" ")),
    warn: (...m) => child?.warn(m.map(String).join(" ")),
    error: (...m) => child?.error(m.map(String).join(" ")),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
