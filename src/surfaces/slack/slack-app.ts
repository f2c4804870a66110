import { answeredLate } from "../../kit/late-answer.ts";
import { CommandRecovery, type RecordedCommand } from "../../kit/recorded-commands.ts";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { App, type BlockButtonAction, LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "pino";
import type { Relais } from "../../app.ts";
import { OPERATIONS_PATHS, operationsHandler } from "../../operations.ts";
import { createStatusPage } from "../../status-page/status-page.ts";
import { BUTTON_IDS } from "../../buttons.ts";
import { type Clock, systemClock } from "../../clock.ts";
import { AfterAck } from "../../kit/after-ack.ts";
import type { Command } from "../../kit/command.ts";
import { type OnceKey, RecentKeys } from "../../kit/once.ts";
import { FormSeal } from "../../kit/form-seal.ts";
import { Pipeline } from "../../kit/pipeline.ts";
import { toBlocks } from "./blocks.ts";
import { FORM_CALLBACK_ID, noticeView, selectedUsers, submittedFields } from "./forms.ts";
import { SlackPeople } from "./people.ts";
import { SlackHome } from "./home.ts";
import { SlackIncidentRooms } from "./incident-rooms.ts";
import { slackOnceKeys } from "./once.ts";
import { slackFetch } from "./pooled-fetch.ts";
import { signedRequestsReceiver } from "./signed-requests.ts";
import { type SlackRequest, slackChannels, slackInteraction } from "./slack-port.ts";

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set (no public URL needed). */
  appToken?: string;
  /** Web API base URL (GovSlack, proxies, tests); Slack's own by default. */
  apiUrl?: string;
  port: number;
  /** Skips the auth.test call at construction (checked at the start, or tests). */
  botUserId?: string;
  /** The bot's id (B…) from auth.test; botUserId stands in when absent. */
  botId?: string;
  /** What signed timestamps are checked against (HTTP mode); the wall clock unless told. */
  clock?: Clock;
  /** Signs forms' private_metadata (RELAIS_FORM_KEY); derived from the signing secret when absent. */
  formKey?: string;
  /** How work after the ack waits out bursts (src/kit/after-ack.ts); its defaults otherwise. */
  afterAck?: { concurrency?: number; quietMs?: number; maxWaitMs?: number };
  /** How often the status page looks for changes while someone watches it (its default otherwise). */
  statusPollMs?: number;
}

export interface SlackSurface {
  app: App;
  start(): Promise<{ port?: number }>;
  /** Resolves once the work behind every request acknowledged so far is done (tests). */
  idle(): Promise<void>;
  /** Runs the commands a dead replica acknowledged but never did (started with the scheduler). */
  recovery: CommandRecovery;
  stop(): Promise<void>;
}

/** How long Slack takes answers on a request's response_url. */
const RESPONSE_URL_LIFE = { minutes: 30 } as const;

/**
 * The slash commands Slack routes to a command: its English name and its aliases (`/panne`,
 * `/escalade`, `/responsable`), as README lists them and slack-manifest.yaml declares them.
 */
export function slashCommands(commands: readonly Command[]): { slash: string; command: Command }[] {
  return commands.flatMap((command) =>
    [command.name, ...command.aliases].map((name) => ({ slash: `/${name}`, command })),
  );
}

/** Slack's payloads escape &, < and > in typed text; the command layer wants what was typed. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Relais on Slack with Bolt: each slash command, button, modal submission and mention is taken out
 * of its payload and handed to the pipeline (src/kit/pipeline.ts) with a Slack port. Every request
 * is acknowledged before the work, which waits out bursts (AfterAck).
 */
export function createSlackSurface(
  relais: Relais,
  commands: readonly Command[],
  config: SlackConfig,
  log?: Logger,
): SlackSurface {
  const socketMode = config.appToken !== undefined;
  const logger = boltLogger(log);
  const operations = operationsHandler({
    store: relais.store,
    scheduler: relais.scheduler,
    clock: relais.services.clock,
    metrics: relais.metrics,
  });
  // The public status page (off unless the policy enables it), beside /healthz in HTTP mode.
  const statusPage = createStatusPage({
    source: relais.store.outages,
    clock: relais.services.clock,
    policy: relais.services.policy,
    ...(config.statusPollMs ? { pollMs: config.statusPollMs } : {}),
    ...(log ? { log } : {}),
  });
  const app = new App({
    token: config.botToken,
    // Bolt's conversation store is unused here, and its lookup built an Error (a stack trace) for
    // every request it found nothing for: a tenth of the ack's cost (issue 16).
    convoStore: false,
    ...(socketMode
      ? { appToken: config.appToken, socketMode: true }
      : {
          receiver: signedRequestsReceiver({
            signingSecret: config.signingSecret,
            clock: config.clock ?? systemClock,
            logger,
            // GET /healthz and GET /metrics on the same port as Slack's requests, and the status page.
            customRoutes: [
              ...OPERATIONS_PATHS.map((path) => ({ path, method: ["GET"], handler: operations })),
              ...statusPage.paths.map((path) => ({
                path,
                method: ["GET"],
                handler: (req: IncomingMessage, res: ServerResponse) => void statusPage.route(req, res),
              })),
            ],
          }),
        }),
    ...(config.botUserId ? { botUserId: config.botUserId, botId: config.botId ?? config.botUserId } : {}),
    logger,
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith("/") ? config.apiUrl : `${config.apiUrl}/` } : {}),
      // A few quick retries on 5xx and network errors; 429s wait for Retry-After (never minutes of retries).
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      rejectRateLimitedCalls: false,
      timeout: 10_000,
      fetch: slackFetch,
    },
  });

  relais.services.outages.registerRooms("slack", new SlackIncidentRooms(app.client));
  const after = new AfterAck({ ...config.afterAck, pressure: relais.acks, ...(log ? { log } : {}) });
  const pipeline = new Pipeline(commands, {
    threads: relais.store.threads,
    outbox: relais.store.outbox,
    posted: () => relais.poke(),
    requests: relais.store.requests,
    queue: after,
    drafts: relais.store.drafts,
    commands: relais.store.commands,
    leaseMs: relais.leaseMs,
    metrics: relais.metrics,
  });
  const seal = FormSeal.fromSecrets(config.formKey, config.signingSecret || config.appToken);
  const channels = slackChannels(app.client);
  const people = new SlackPeople(app.client, log);
  /** The pipeline's port for one request: who acted, where, and how Slack lets us answer them. */
  const recent = new RecentKeys(() => relais.services.clock.now().toMillis());
  const portOf = (
    context: Record<string, unknown>,
    user: { id: string; name?: string; username?: string },
    channel: string,
    answering: Omit<SlackRequest, "client" | "channels" | "ctx" | "log" | "channel" | "user" | "seal" | "once">,
  ) => {
    const actor = { id: `slack:${user.id}`, name: user.name ?? user.username ?? user.id };
    const ctx = relais.context(actor, undefined, channel ? { platform: "slack", channel } : undefined);
    const requestLog = log?.child({ requestId: context.requestId });
    const once = context.onceKeys as OnceKey[] | undefined;
    const base = { client: app.client, channels, ctx, channel, user: user.id, seal, ...(once ? { once } : {}) };
    // Once Slack has its ack, the work queued behind earlier acks may go on (AfterAck).
    const acked = context.acked as () => void;
    const acking =
      <A extends unknown[]>(f: (...a: A) => Promise<void>) =>
      async (...a: A) => {
        await f(...a);
        acked();
      };
    const port = slackInteraction({
      ...base,
      ...(requestLog ? { log: requestLog } : {}),
      ...answering,
      ack: acking(answering.ack),
      ...(answering.ackWith ? { ackWith: acking(answering.ackWith) } : {}),
      ...(answering.ackErrors ? { ackErrors: acking(answering.ackErrors) } : {}),
    });
    return { ...port, receivedAt: context.receivedAt as number };
  };

  // Every request gets an id, logged with what it was, and carried by the logs of its handling.
  // One middleware, not one per concern: Bolt's chain costs promises and closures per request (issue 16).
  app.use(async (args) => {
    const { body, context, next } = args;
    context.requestId = randomUUID();
    context.receivedAt = performance.now(); // the ack's latency is measured from here

    log?.debug(
      { requestId: context.requestId, type: (body as { type?: string }).type ?? "slash_command" },
      "slack request",
    );
    // Work queued behind earlier acks waits until this request is acknowledged (or handled); an
    // event was acknowledged by Bolt on arrival.
    const event = (body as { type?: string }).type === "event_callback";
    if (event) after.noteRequest();
    const acked = event ? () => {} : after.arriving();
    context.acked = acked;
    try {
      // A replayed or retried request, or a double click: one effect. Caught before the ack when this
      // process saw it lately (no database write holds the ack); otherwise the claim made after the
      // ack, in the database, finds the first delivery's — across restarts and replicas — and the
      // work is skipped.
      const keys = slackOnceKeys(body as Parameters<typeof slackOnceKeys>[0], context.signedRequest);
      if (recent.firstSeen(keys)) {
        context.onceKeys = keys;
        await next();
        return;
      }
      log?.info({ requestId: context.requestId }, "slack request already handled");
      // Events carry no ack: Bolt acknowledged them on arrival.
      await (args as { ack?: () => Promise<void> }).ack?.();
    } finally {
      acked();
    }
  });

  // One listener for every slash command and one for every button: Bolt runs each listener's
  // matchers for every request, so fewer listeners make a cheaper ack (issue 16).
  const bySlash = new Map(slashCommands(commands).map(({ slash, command }) => [slash, command]));
  const oneOf = (names: Iterable<string>) =>
    new RegExp(`^(?:${[...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
  app.command(oneOf(bySlash.keys()), async ({ command: payload, ack, respond, context }) => {
    const command = bySlash.get(payload.command)!;
    const user = { id: payload.user_id, name: payload.user_name };
    const port = portOf(context, user, payload.channel_id, {
      channelName: payload.channel_name,
      triggerId: payload.trigger_id,
      responseUrl: payload.response_url,
      respond,
      ack: () => ack(),
      ackWith: (reply) => ack({ response_type: "ephemeral", ...toBlocks(reply) }),
    });
    await pipeline.handle(port, { kind: "text", command: command.name, text: unescapeSlack(payload.text ?? "") });
  });

  // Every button (ticket cards, escalation notes, drafts, handovers): its subcommand on its value.
  app.action<BlockButtonAction>({ action_id: oneOf(BUTTON_IDS) }, async ({ ack, body, action, respond, context }) => {
    const id = action.action_id;
    const port = portOf(context, body.user, body.channel?.id ?? "", {
      ...(body.channel?.name ? { channelName: body.channel.name } : {}),
      triggerId: body.trigger_id,
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
      respond,
      ack: () => ack(),
    });
    await pipeline.handle(port, { kind: "button", id, value: action.value ?? "" });
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, context }) => {
    // Only a state Relais signed for this person is read; anything else is refused whole, and politely.
    const state = seal.open(view.private_metadata, body.user.id);
    if (!state) {
      log?.warn({ requestId: context.requestId, user: body.user.id }, "form metadata not verified");
      const x = relais.context({ id: `slack:${body.user.id}`, name: body.user.name }).texts;
      await ack({ response_action: "update", view: noticeView(x, x.t("error.form_unverified")) });
      return;
    }
    const port = portOf(context, body.user, state.channel, {
      ack: () => ack(),
      ackErrors: (errors) => ack({ response_action: "errors", errors }),
    });
    // A modal submitted twice (double click, network retry) carries the same view id.
    const once = `slack:view:${view.id}`;
    const names = await people.lookup(selectedUsers(view));
    await pipeline.handle(port, {
      kind: "form",
      state,
      fields: submittedFields(view, names, relais.services.policy.timezone),
      once,
    });
  });

  // Closing a form saves nothing; acknowledged so Slack does not report an error.
  app.view({ callback_id: FORM_CALLBACK_ID, type: "view_closed" }, async ({ ack }) => {
    await ack();
  });

  app.event("app_mention", async ({ event, body, context }) => {
    // Events are acknowledged by Bolt itself.
    const port = portOf(context, { id: event.user ?? "unknown" }, event.channel, { ack: async () => {} });
    const thread = { channel: event.channel, messageId: event.thread_ts ?? event.ts };
    // A redelivered event (X-Slack-Retry-Num) is handled once: the first delivery claimed its id.
    await pipeline.handle(port, { kind: "mention", text: event.text, thread, once: `slack:event:${body.event_id}` });
  });

  // The App Home (issue 15): the person's desk, published when they open the Home tab and refreshed
  // after the changes that concern them (DeskHomes). Their Slack client's language, else the policy's.
  relais.homes.register(
    "slack",
    new SlackHome({
      client: app.client,
      sla: relais.services.sla,
      zone: relais.services.policy.timezone,
      clock: relais.services.clock,
      ...(log ? { log } : {}),
    }),
  );
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    const lang = (await people.language(event.user)) ?? relais.services.policy.language;
    await relais.homes.opened({ id: `slack:${event.user}`, lang });
  });

  // A command recorded and acknowledged by a replica that died before doing it: done here, once,
  // the person answered on the request's response_url while it is valid, else privately.
  const latePort = (c: RecordedCommand) => {
    const ctx = relais.context(c.actor, c.lang, c.room);
    const user = c.actor.id.replace(/^slack:/, "");
    const base = slackInteraction({
      client: app.client,
      channels,
      ctx,
      channel: c.channel ?? "",
      user,
      seal,
      ...(c.once ? { once: c.once } : {}),
      ...(log ? { log } : {}),
      ack: async () => {},
    });
    const { outbox } = relais.store;
    return answeredLate(base, c, { outbox, clock: relais.services.clock }, async (reply) => {
      const url = c.answer?.responseUrl;
      if (!url || relais.services.clock.now() >= c.receivedAt.plus(RESPONSE_URL_LIFE)) return false;
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, ...toBlocks(reply) }),
      });
      return res.ok;
    });
  };
  const recovery = new CommandRecovery({
    platform: "slack",
    commands: relais.store.commands,
    clock: relais.services.clock,
    leaseMs: relais.leaseMs,
    log,
    replay: (c) => pipeline.replay(c, latePort(c)),
  });

  app.error(async (error) => {
    log?.error({ code: (error as { code?: string }).code, message: error.message }, "slack handler failed");
  });

  let server: Server | undefined;
  return {
    app,
    recovery,
    async start() {
      if (socketMode) {
        await app.start();
        return {};
      }
      server = (await app.start(config.port)) as Server;
      // A new connection is a request on its way: work steps aside for it too (AckPressure.connected).
      server.on("connection", () => relais.acks.connected());
      const address = server.address();
      return { port: typeof address === "object" && address ? address.port : config.port };
    },
    async idle() {
      await after.drain();
      await relais.store.unit.settled();
      await relais.homes.idle();
    },
    async stop() {
      await recovery.stop();
      statusPage.close(); // its live streams would hold the server open
      await app.stop();
      await after.drain();
      await relais.store.unit.settled();
      await relais.homes.idle();
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
