import type { Actor } from "../timeline/events.ts";

/**
 * A person as typed in a command: Slack's `<@U123|ana>` or `<@U123>`, Discord's `<@123>` or
 * `<@!123>`, or a plain `@ana` / `ana` (the shell). Ids are prefixed by the platform, as actors are.
 */
export function parseMention(text: string, platform: string): Actor | undefined {
  const t = text.trim();
  const slack = /^<@([UW][A-Z0-9]+)(?:\|([^>]+))?>$/.exec(t);
  if (slack) return { id: `slack:${slack[1]}`, name: slack[2] ?? slack[1]! };
  const discord = /^<@!?(\d{5,25})>$/.exec(t);
  if (discord) return { id: `discord:${discord[1]}`, name: `<@${discord[1]}>` };
  const plain = /^@?([\p{L}\p{N}._-]{1,80})$/u.exec(t);
  if (plain) return { id: `${platform}:${plain[1]}`, name: plain[1]! };
  return undefined;
}
