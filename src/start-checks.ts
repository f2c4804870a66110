import { WebClient, WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError } from "@slack/web-api";
import { DiscordAPIError, REST } from "discord.js";
import { Routes } from "discord-api-types/v10";
import { StartError } from "./config/env.ts";

/**
 * Every token is checked before a surface says "ready": a refused one stops the start with one
 * line naming the variable and what the platform answered (StartError, exit 1).
 */

/** Who the bot token belongs to, as Slack's auth.test says (Bolt then skips its own call). */
export interface SlackIdentity {
  botUserId: string;
  botId?: string;
}

/** Slack's auth.test with SLACK_BOT_TOKEN. */
export async function checkSlackToken(token: string, apiUrl?: string): Promise<SlackIdentity> {
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    timeout: 10_000,
  });
  try {
    const who = await client.auth.test();
    if (!who.user_id)
      throw new StartError("Relais: SLACK_BOT_TOKEN: Slack's auth.test named no bot user; not starting");
    return { botUserId: who.user_id, ...(who.bot_id ? { botId: who.bot_id } : {}) };
  } catch (e) {
    if (e instanceof StartError) throw e;
    throw new StartError(`Relais: SLACK_BOT_TOKEN ${slackProblem(e, "auth.test")}; not starting`);
  }
}

/** What Slack said (or why it could not be asked), in a few words. */
export function slackProblem(e: unknown, method: string): string {
  if (e instanceof WebAPIPlatformError) return `refused by Slack (${method}: ${e.data.error})`;
  if (e instanceof WebAPIHTTPError) return `not checked: Slack answered ${method} with HTTP ${e.statusCode}`;
  if (e instanceof WebAPIRequestError) return `not checked: Slack could not be reached (${e.original.message})`;
  return `not checked: ${e instanceof Error ? e.message : String(e)}`;
}

/** Discord's GET /users/@me with DISCORD_TOKEN. */
export async function checkDiscordToken(token: string, apiUrl?: string): Promise<void> {
  const rest = new REST({ ...(apiUrl ? { api: apiUrl } : {}), retries: 2, timeout: 10_000 }).setToken(token);
  try {
    await rest.get(Routes.user());
  } catch (e) {
    throw new StartError(`Relais: DISCORD_TOKEN ${discordProblem(e)}; not starting`);
  }
}

export function discordProblem(e: unknown): string {
  if (e instanceof DiscordAPIError) {
    const path = new URL(e.url).pathname.replace(/^.*\/v\d+/, "");
    return `refused by Discord (${e.method.toUpperCase()} ${path}: ${e.message})`;
  }
  const status = (e as { status?: number }).status;
  if (typeof status === "number") return `not checked: Discord answered HTTP ${status}`;
  return `not checked: Discord could not be reached (${e instanceof Error ? e.message : String(e)})`;
}
