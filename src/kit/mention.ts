import type { Actor } from "../timeline/events.ts";
import type { Person } from "./command.ts";
import { platformOfId } from "../channel-ref.ts";

/**
 * A person as typed in a command: Slack's `<@U123|ana>` or `<@U123>`, Discord's `<@123>`, `<@!123>` or
 * `<@123|ana>`, or a plain `@ana` / `ana` (the shell). Ids are prefixed by the platform, as actors are.
 */
export function parseMention(text: string, platform: string): Actor | undefined {
  const t = text.trim();
  const slack = /^<@([UW][A-Z0-9]+)(?:\|([^>]+))?>$/.exec(t);
  if (slack) return { id: `slack:${slack[1]}`, name: slack[2] ?? slack[1]! };
  // Discord's `<@123>`; `<@123|Ana>` is how the Discord surface hands over a user it resolved.
  const discord = /^<@!?(\d{5,25})(?:\|([^>]+))?>$/.exec(t);
  if (discord) return { id: `discord:${discord[1]}`, name: discord[2] ?? `<@${discord[1]}>` };
  const plain = /^@?([\p{L}\p{N}._-]{1,80})$/u.exec(t);
  if (plain) return { id: `${platform}:${plain[1]}`, name: plain[1]! };
  return undefined;
}

/** A plain name: letters, digits, spaces and the punctuation of names ("Marie-Claire O'Neil", "J. Martin"). */
const PLAIN_NAME = /^[\p{L}\p{N}][\p{L}\p{N} .'\u2019_-]{0,79}$/u;

/**
 * A person given in a form or an option: a mention (Slack, Discord) or `@name` on the shell is a
 * chat user Relais can reach; a plain name stays a name. Undefined for anything else (a channel,
 * `<!here>`, `@name` where `@` is not how that platform names people).
 */
export function parsePerson(text: string, platform: string): Person | undefined {
  const t = text.trim();
  if (t.startsWith("<") || (t.startsWith("@") && platform === "shell")) {
    const a = parseMention(t, platform);
    return a ? { id: a.id, name: a.name } : undefined;
  }
  return PLAIN_NAME.test(t) ? { name: t.replace(/\s+/g, " ") } : undefined;
}

/** The text `parsePerson` reads back into `p` on `platform` (a person carried by a form, checked again). */
export function personText(p: Person): string {
  if (!p.id) return p.name;
  const platform = platformOfId(p.id);
  const id = p.id.slice(platform.length + 1);
  if (platform === "shell") return `@${id}`;
  // An unresolved Discord user's name is their mention.
  return p.name === `<@${id}>` ? p.name : `<@${id}|${p.name}>`;
}
