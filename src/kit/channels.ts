import { RelaisError } from "../errors.ts";
import { DISCORD_SNOWFLAKE, SLACK_CHANNEL_ID } from "../channel-ids.ts";
import type { MessageKey } from "../i18n/index.ts";

/**
 * Channels as people give them (issue 15, "pick, don't type"): stored by id, shown by name.
 *
 * - Slack: a picked or escaped channel arrives as `<#C123|name>` or `<#C123>` (a conversations select,
 *   or a slash command with `should_escape`); a bare id `C0123ABCD` is taken as it is.
 * - Discord: `<#123456789012345678>` (a channel select, a channel option, a typed mention) or its bare id.
 * - The shell: the channel's name, `#support` or `support`.
 *
 * A `#name` on Slack or Discord is not an id: Discord's REST refuses it for good and Slack may
 * resolve it to nobody, so it is refused now, politely, rather than stored to fail later.
 */

/** The most channels one field takes (an outage's affected channels). */
export const MAX_CHANNELS = 50;

const SLACK_MENTION = /^<#([CG][A-Z0-9-]+)(?:\|[^<>]*)?>$/;
const SLACK_ID = SLACK_CHANNEL_ID;
const DISCORD_MENTION = /^<#(\d{5,25})>$/;
const DISCORD_ID = DISCORD_SNOWFLAKE;
const SHELL_NAME = /^#?([\p{L}\p{N}_.-]{1,80})$/u;

/** One channel as typed or picked on `platform`: its id (the shell: its name), or undefined. */
export function parseChannel(text: string, platform: string): string | undefined {
  const t = text.trim();
  if (platform === "slack") return SLACK_MENTION.exec(t)?.[1] ?? (SLACK_ID.test(t) ? t : undefined);
  if (platform === "discord") return DISCORD_MENTION.exec(t)?.[1] ?? (DISCORD_ID.test(t) ? t : undefined);
  return SHELL_NAME.exec(t)?.[1];
}

/**
 * The channels of one field, in order, each once. Refuses (`channel_not_picked`) the first word that
 * is not a channel of `platform`, and more channels than the field takes.
 */
export function parseChannelList(text: string, platform: string, field: MessageKey, many: boolean): string[] {
  const words = text.split(/[\s,;]+/).filter((w) => w !== "");
  const ids: string[] = [];
  for (const w of words) {
    const id = parseChannel(w, platform);
    if (!id) throw new RelaisError("channel_not_picked", { field, value: w });
    if (!ids.includes(id)) ids.push(id);
  }
  const max = many ? MAX_CHANNELS : 1;
  if (ids.length > max) throw new RelaisError("too_many_channels", { field, max });
  return ids;
}

/** The text `parseChannelList` reads back into `ids` on `platform` (a form's carried value, checked again). */
export function channelsText(ids: readonly string[], platform: string): string {
  return ids.map((id) => (platform === "slack" || platform === "discord" ? `<#${id}>` : `#${id}`)).join(" ");
}
