import { userInfo } from "node:os";
import { pino } from "pino";
import { commands } from "../commands/index.ts";
import { createRelais } from "./app.ts";
import { systemClock } from "./clock.ts";
import { parseEnv } from "./config/env.ts";
import { loadPolicy, PolicyError } from "./config/policy.ts";
import { openSqliteStore } from "./store/database.ts";
import { runShell } from "./surfaces/shell/shell.ts";

/** `npm start`: the shell chat when no platform token is set. Logs go to stderr, chat to stdout. */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const log = pino({ level: env.LOG_LEVEL, redact: ["*.token", "*.secret", "*.SLACK_BOT_TOKEN", "*.DISCORD_TOKEN"] }, pino.destination(2));
  const policy = loadPolicy(env.RELAIS_POLICY);
  if (env.RELAIS_LANG) policy.language = env.RELAIS_LANG;
  const store = await openSqliteStore(env.DATABASE_URL);
  const relais = createRelais({ store, policy, clock: systemClock, log });

  if (env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN) {
    log.warn("Slack and Discord surfaces are not part of this version yet; starting the shell chat.");
  }
  const user = process.env.USER ?? safeUser();
  const actor = { id: `shell:${user}`, name: user };
  await runShell({
    input: process.stdin,
    output: process.stdout,
    commands,
    context: (a) => relais.context(a),
    actor,
    texts: relais.context(actor).texts,
    interactive: process.stdin.isTTY === true,
    log,
  });
  await store.close();
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
  if (e instanceof PolicyError || (e instanceof Error && e.message.startsWith("Invalid environment"))) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`Relais could not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
