import { userInfo } from "node:os";
import { dirname, resolve } from "node:path";
import { pino } from "pino";
import { commands } from "../commands/index.ts";
import { createRelais, type Relais } from "./app.ts";
import type { ChannelSender } from "./outbox/outbox.ts";
import { WallClock } from "./clock.ts";
import { loadEnvFile, parseEnv, StartError } from "./config/env.ts";
import { IdleCollector, lowMemoryCollection } from "./idle-collector.ts";
import { QuietCheckpoints } from "./store/quiet-checkpoints.ts";
import { serveOperations } from "./operations.ts";
import { createStatusPage } from "./status-page/status-page.ts";
import { loadPolicy, PolicyError } from "./config/policy.ts";
import { assertBusinessDaysAhead } from "./sla/calendar.ts";
import { HolidayCalendar, holidaysRunningOut } from "./sla/holidays.ts";
import { DatabaseMissingError, openStore } from "./store/database.ts";

/**
 * `npm start`: Slack when its tokens are set, otherwise the shell chat. Logs go to stderr (JSON),
 * the chat to stdout.
 */
async function main(): Promise<void> {
  loadEnvFile(); // .env, under what the environment already sets
  const env = parseEnv(process.env);
  // Secrets never reach the logs: nothing logs the env, and these paths are redacted anyway.
  const log = pino(
    {
      level: env.LOG_LEVEL,
      redact: [
        "token",
        "*.token",
        "*.secret",
        "*.signingSecret",
        "*.botToken",
        "*.appToken",
        "*.formKey",
        "headers.authorization",
        "*.headers.authorization",
      ],
    },
    pino.destination(2),
  );
  // A promise nobody awaited that fails is logged with what it was, never a stack on a user's
  // terminal; the process stays up (what failed was in the background).
  process.on("unhandledRejection", (reason: unknown) =>
    log.error({ err: reason }, "a background task failed (unhandled rejection)"),
  );
  const policy = loadPolicy(env.RELAIS_POLICY);
  // Promises are wall times; a step of the wall clock is logged (src/clock.ts).
  const clock = new WallClock({
    onStep: (stepMs) =>
      log.warn(
        { stepMs },
        stepMs < 0
          ? "wall clock stepped back: updates due are posted when their announced time comes again"
          : "wall clock stepped forward: updates due in the skipped time are posted now",
      ),
  });
  assertBusinessDaysAhead(policy, clock.now(), 30, env.RELAIS_POLICY);
  // A hand-typed holiday list that runs out within a year: said at start, and the start goes on.
  const runningOut = holidaysRunningOut(
    new HolidayCalendar(policy.holidays, policy.timezone),
    clock.now(),
    env.RELAIS_POLICY,
  );
  if (runningOut) {
    process.stderr.write(`${runningOut}\n`);
    log.warn({ policy: env.RELAIS_POLICY }, runningOut);
  }
  if (env.RELAIS_LANG) policy.language = env.RELAIS_LANG;
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    throw new StartError(
      "Invalid environment: SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  }
  if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID)
    throw new StartError("Invalid environment: DISCORD_APPLICATION_ID: required with DISCORD_TOKEN");
  // Every token is checked before anything is opened or said ready: a refused one stops here.
  // A platform's SDK is loaded only when its token is set (discord.js alone takes most of a
  // second to load): the shell, or Slack alone, starts without the other's weight (issue 16).
  const checks = env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN ? await import("./start-checks.ts") : undefined;
  const { checkSlackToken, checkDiscordToken } = checks ?? {};
  const [slackIdentity] = await Promise.all([
    env.SLACK_BOT_TOKEN ? checkSlackToken?.(env.SLACK_BOT_TOKEN, env.SLACK_API_URL) : undefined,
    env.DISCORD_TOKEN ? checkDiscordToken?.(env.DISCORD_TOKEN, env.DISCORD_API_URL) : undefined,
  ]);
  const store = await openStore(env.DATABASE_URL, { log, expectExisting: env.RELAIS_EXPECT_DATABASE });
  // Said out loud: a path typed wrong, or a file deleted since the last run, would otherwise start
  // an empty helpdesk that hands out T-1 again.
  if (store.created) process.stderr.write(`Relais: no database at ${store.location} — created a new empty one\n`);
  const relais = createRelais({ store, policy, clock, log, leaseMs: env.RELAIS_LEASE_MS });

  const senders: Record<string, ChannelSender> = {};
  const stops: (() => Promise<void>)[] = [];
  if (env.SLACK_BOT_TOKEN && slackIdentity && checks) {
    const identity = slackIdentity;
    const { createSlackSurface } = await import("./surfaces/slack/slack-app.ts");
    const { SlackSender } = await import("./surfaces/slack/slack-sender.ts");
    const slack = createSlackSurface(
      relais,
      commands,
      {
        botToken: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET ?? "",
        ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        ...(env.RELAIS_FORM_KEY ? { formKey: env.RELAIS_FORM_KEY } : {}),
        port: env.PORT,
        statusPollMs: env.RELAIS_TICK_MS,
        botUserId: identity.botUserId,
        ...(identity.botId ? { botId: identity.botId } : {}),
      },
      log,
    );
    const { port } = await slack.start().catch((e: unknown) => {
      // Socket Mode opens its connection with SLACK_APP_TOKEN (apps.connections.open).
      if (env.SLACK_APP_TOKEN)
        throw new StartError(
          `Relais: SLACK_APP_TOKEN ${checks.slackProblem(e, "apps.connections.open")}; not starting`,
        );
      throw e;
    });
    slack.recovery.start(env.RELAIS_TICK_MS);
    senders.slack = new SlackSender(env.SLACK_BOT_TOKEN, env.SLACK_API_URL);
    stops.push(() => slack.stop());
    log.info({ mode: env.SLACK_APP_TOKEN ? "socket" : "http", port }, "Relais is listening to Slack");
    process.stderr.write(
      env.SLACK_APP_TOKEN ? "Relais: Slack (Socket Mode) ready\n" : `Relais: Slack (HTTP) ready on port ${port}\n`,
    );
  }
  if (env.DISCORD_TOKEN && env.DISCORD_APPLICATION_ID && checks) {
    const { createDiscordSurface } = await import("./surfaces/discord/discord-app.ts");
    const { DiscordSender } = await import("./surfaces/discord/discord-sender.ts");
    const discord = createDiscordSurface(
      relais,
      commands,
      {
        token: env.DISCORD_TOKEN,
        applicationId: env.DISCORD_APPLICATION_ID,
        ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
      },
      log,
    );
    await discord.start().catch((e: unknown) => {
      throw new StartError(
        `Relais: Discord login with DISCORD_TOKEN failed: ${checks.discordProblem(e)}; not starting`,
      );
    });
    discord.recovery.start(env.RELAIS_TICK_MS);
    senders.discord = new DiscordSender(discord.client.rest);
    stops.push(() => discord.stop());
    process.stderr.write("Relais: Discord ready\n");
  }
  if (stops.length > 0) {
    // Slack's HTTP mode answers /healthz and /metrics on its own server; the other modes get one on PORT.
    if (!env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN) {
      const statusPage = createStatusPage({ source: store.outages, clock, policy, pollMs: env.RELAIS_TICK_MS, log });
      const ops = await serveOperations(
        { store, scheduler: relais.scheduler, clock, metrics: relais.metrics },
        env.PORT,
        [statusPage],
      );
      stops.push(() => ops.close());
      const also = policy.statusPage.enabled ? ", GET /status" : "";
      process.stderr.write(`Relais: health and metrics on port ${ops.port} (GET /healthz, GET /metrics${also})\n`);
    }
    const background = startBackground(relais, senders, env.RELAIS_TICK_MS);
    const stop = async () => {
      for (const s of stops) await s();
      await background.stop();
      await store.close();
      process.exit();
    };
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
    return;
  }

  const { ShellSender } = await import("./surfaces/shell/shell-sender.ts");
  const { ShellScreen } = await import("./surfaces/shell/screen.ts");
  const { runShell } = await import("./surfaces/shell/shell.ts");
  const user = process.env.USER ?? safeUser();
  const actor = { id: `shell:${user}`, name: user };
  const screen = new ShellScreen(process.stdout);
  const filesDir = dataFolderOf(env.DATABASE_URL);
  const background = startBackground(relais, { shell: new ShellSender(screen, filesDir) }, env.RELAIS_TICK_MS);
  await runShell({
    screen,
    input: process.stdin,
    output: process.stdout,
    commands,
    context: (a) => relais.context(a),
    actor,
    texts: relais.context(actor).texts,
    interactive: process.stdin.isTTY === true,
    log,
    filesDir,
  });
  await background.stop();
  await store.close();
}

/**
 * The scheduler and the outbox, ticking in the background while a surface runs; and the timers'
 * resync, begun once the surfaces listen (over thousands of open tickets it is seconds of work,
 * which the acks go before: issue 16).
 */
function startBackground(relais: Relais, senders: Record<string, ChannelSender>, tickMs: number) {
  const began = performance.now();
  void relais.resyncTimers().then(
    (counts) => relais.log?.info({ ...counts, ms: Math.round(performance.now() - began) }, "timers resynchronised"),
    (e: unknown) => relais.log?.error({ err: e }, "timers could not be resynchronised"),
  );
  const dispatcher = relais.dispatcher(senders);
  const collector = new IdleCollector({ acks: relais.acks, gc: lowMemoryCollection(), log: relais.log });
  collector.start();
  const checkpoints = new QuietCheckpoints({ store: relais.store, acks: relais.acks, log: relais.log });
  checkpoints.start();
  relais.scheduler.start(tickMs);
  dispatcher.start(Math.max(50, Math.floor(tickMs / 2)));
  return {
    async stop() {
      collector.stop();
      await checkpoints.stop();
      await relais.scheduler.stop();
      await relais.store.unit.settled(); // incident rooms being opened, reports being attached
      await dispatcher.stop();
      // What was recorded goes out before exit (the rest would go at the next start anyway). With
      // the database lost meanwhile it cannot: said in the log and by the exit code, not as a crash.
      await dispatcher.flush().catch((e: unknown) => {
        relais.log?.error({ err: e }, "the outbox could not be flushed before exit");
        process.exitCode = 1;
      });
    },
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "technicien";
  }
}

main().catch((e: unknown) => {
  // A bad policy or environment names the field and stops the start (exit 1), without a stack.
  if (
    e instanceof PolicyError ||
    e instanceof DatabaseMissingError ||
    e instanceof StartError ||
    (e instanceof Error && e.message.startsWith("Invalid environment"))
  ) {
    // One variable or policy field wrong: one line.
    const lines = e.message.split("\n");
    const one = lines.length === 2 && /^Invalid (environment|policy in .+):$/.test(lines[0]!);
    process.stderr.write(`${one ? `${lines[0]} ${lines[1]!.replace(/^\s*- /, "")}` : e.message}\n`);
  } else {
    // Anything else: what it was in one line; its stack only for who asked for debug logs.
    const debug = process.env.LOG_LEVEL === "debug" || process.env.LOG_LEVEL === "trace";
    const said = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message) : String(e);
    process.stderr.write(`Relais could not start: ${said}\n`);
  }
  process.exit(1);
});

/**
 * Where the shell writes a post's file (the SLA report's CSV): `reports/` beside the SQLite file,
 * or `./data/reports` on PostgreSQL.
 */
function dataFolderOf(databaseUrl: string): string {
  const file = databaseUrl.startsWith("file:") ? databaseUrl.slice("file:".length) : "./data/relais.db";
  return resolve(dirname(file), "reports");
}
