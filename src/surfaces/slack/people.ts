import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { LANGS, type Lang } from "../../i18n/index.ts";

/** How long a modal submission may wait for a name before it is acknowledged (Slack allows 3 s). */
const LOOKUP_MS = 800;

/**
 * Names of the people chosen in a users_select: a view submission carries only their ids, and a
 * requester greeted "Bonjour U0ANA" is not a person. Looked up with `users.info` (scope users:read),
 * kept for the life of the process; a slow or failed lookup leaves the id, never blocks the ack.
 */
export class SlackPeople {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly client: WebClient,
    private readonly log?: Logger,
  ) {}

  /** The display name of each id that has one, within the lookup budget. */
  async lookup(ids: readonly string[]): Promise<Record<string, string>> {
    // Most submissions pick nobody: no timer, no promise, the ack goes at once.
    if (ids.length === 0) return {};
    const lookups = [...new Set(ids)].map(async (id) => [id, await this.name(id)] as const);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), LOOKUP_MS).unref();
    });
    const out: Record<string, string> = {};
    try {
      for (const [id, name] of await Promise.race([Promise.all(lookups), timeout])) if (name) out[id] = name;
    } finally {
      clearTimeout(timer);
    }
    return out;
  }

  /**
   * The language of a person's Slack client (`users.info` with `include_locale`: "en-US" → en),
   * when Relais speaks it; undefined otherwise (the policy's language then).
   */
  async language(id: string): Promise<Lang | undefined> {
    try {
      const { user } = await this.client.users.info({ user: id, include_locale: true });
      const lang = user?.locale?.slice(0, 2).toLowerCase();
      return LANGS.find((l) => l === lang);
    } catch (e) {
      this.log?.warn({ code: (e as { data?: { error?: string } }).data?.error, user: id }, "slack users.info failed");
      return undefined;
    }
  }

  private async name(id: string): Promise<string | undefined> {
    const known = this.names.get(id);
    if (known) return known;
    try {
      const { user } = await this.client.users.info({ user: id });
      const name = user?.profile?.display_name || user?.real_name || user?.name;
      if (name) this.names.set(id, name);
      return name;
    } catch (e) {
      this.log?.warn({ code: (e as { data?: { error?: string } }).data?.error, user: id }, "slack users.info failed");
      return undefined;
    }
  }
}
