import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { commands } from "../commands/index.ts";
import { createRelais, type Relais } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { loadPolicy, type Policy } from "../src/config/policy.ts";
import type { Lang } from "../src/i18n/index.ts";
import { handleLine, type FormAsker } from "../src/kit/dispatch.ts";
import type { Reply } from "../src/kit/reply.ts";
import { openSqliteStore } from "../src/store/database.ts";
import { renderText } from "../src/surfaces/shell/render.ts";
import type { Actor } from "../src/timeline/events.ts";

export const POLICY_PATH = new URL("../config/policy.yaml", import.meta.url).pathname;
export const ZONE = "Europe/Paris";

export function paris(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: ZONE });
}

export function defaultPolicy(): Policy {
  return loadPolicy(POLICY_PATH);
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "relais-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestRelais {
  relais: Relais;
  clock: ManualClock;
  dbPath: string;
  /** Runs a typed line as `actor` and returns the reply. */
  say(line: string, opts?: { actor?: Actor; lang?: Lang; answers?: string[] }): Promise<Reply>;
  text(line: string, opts?: { actor?: Actor; lang?: Lang; answers?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export const alice: Actor = { id: "U-alice", name: "Alice" };
export const bob: Actor = { id: "U-bob", name: "Bob" };

/** Relais on a real SQLite file in a temp folder, on a manual clock (Tuesday 10:00 in Paris). */
export async function startRelais(opts: { now?: DateTime; policy?: Policy } = {}): Promise<TestRelais> {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, "relais.db");
  const store = await openSqliteStore(`file:${dbPath}`);
  const clock = new ManualClock(opts.now ?? paris("2026-11-24T10:00"));
  const relais = createRelais({ store, policy: opts.policy ?? defaultPolicy(), clock });
  const say = (line: string, o: { actor?: Actor; lang?: Lang; answers?: string[] } = {}) => {
    const answers = o.answers ? [...o.answers] : undefined;
    const asker: FormAsker | undefined = answers ? { ask: async () => answers.shift(), onError: () => {} } : undefined;
    return handleLine(line, commands, relais.context(o.actor ?? alice, o.lang ?? "fr"), asker);
  };
  return {
    relais,
    clock,
    dbPath,
    say,
    text: async (line, o) => renderText(await say(line, o)),
    close: async () => {
      await store.close();
      cleanup();
    },
  };
}

/** A TCP port free on 127.0.0.1 right now (for a child process to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
