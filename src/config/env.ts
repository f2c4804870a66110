import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { projectPath } from "../paths.ts";

/** Environment variables (documented in .env.example): secrets and connections only. */
const optional = z.string().trim().min(1).optional().catch(undefined);

export const envSchema = z.object({
  /** `file:<path>` (SQLite) or `postgres(ql)://…`; anything else is refused, not taken for a path. */
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .regex(
      /^(file:.+|postgres(ql)?:\/\/.+)$/,
      "must be file:<path> (SQLite, e.g. file:./data/relais.db) or postgresql://user:password@host:5432/relais",
    )
    .default("file:./data/relais.db"),
  /** 1 (production): a missing database stops the start instead of being created empty. */
  RELAIS_EXPECT_DATABASE: z
    .enum(["0", "1", "true", "false", ""])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  RELAIS_POLICY: z.string().trim().min(1).default(projectPath("config/policy.yaml")),
  RELAIS_LANG: z.enum(["fr", "en"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("warn"),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: z.string().trim().url().optional(),
  /**
   * The key that signs the state a form carries through the client (Slack's private_metadata); the
   * same on every replica. Without it, a key is derived from SLACK_SIGNING_SECRET. Empty = unset.
   */
  RELAIS_FORM_KEY: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().min(32, "at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  ),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** How often the scheduler and the outbox look for due work, in milliseconds. */
  RELAIS_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How long a replica's claim on a job or a post lasts before another may take it over. */
  RELAIS_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: z.string().trim().url().optional(),
});

export type Env = z.output<typeof envSchema>;

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}

/**
 * Reads the `.env` file of the working directory (RELAIS_ENV_FILE names another) into process.env
 * when it is there; a variable already set in the environment, even empty, wins over the file
 * (Node's own parser, process.loadEnvFile). Returns the path read, or undefined when there was none.
 */
export function loadEnvFile(): string | undefined {
  const named = process.env.RELAIS_ENV_FILE?.trim();
  const path = resolve(named || ".env");
  if (!existsSync(path)) {
    if (named) throw new StartError(`Relais: RELAIS_ENV_FILE names ${path}, which does not exist; not starting`);
    return undefined;
  }
  process.loadEnvFile(path);
  return path;
}

/** A start that cannot go on, said in one line for the operator (no stack): exit 1. */
export class StartError extends Error {
  override name = "StartError";
}
