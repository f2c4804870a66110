/**
 * What a platform's channel id looks like, wherever one is read (a form, a command, the policy):
 * Slack's public `C…` and private `G…` ids, Discord's snowflakes.
 */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
export const DISCORD_SNOWFLAKE = /^\d{17,20}$/;

export function isSlackChannelId(id: string): boolean {
  return SLACK_CHANNEL_ID.test(id);
}

export function isDiscordChannelId(id: string): boolean {
  return DISCORD_SNOWFLAKE.test(id);
}
