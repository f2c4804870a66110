/**
 * The environment of a Relais started by a test: without any platform token, language, policy or
 * database of the machine running the tests, and without a developer's own .env; then `env`.
 */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of [
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "DISCORD_TOKEN",
    "DISCORD_APPLICATION_ID",
    "RELAIS_LANG",
    "RELAIS_POLICY",
    "DATABASE_URL",
    "RELAIS_EXPECT_DATABASE",
  ])
    delete base[k];
  return { ...base, RELAIS_ENV_FILE: "/dev/null", ...env };
}
