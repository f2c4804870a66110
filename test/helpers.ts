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
import type { Reply } from "../src/reply.ts";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openStore } from "../src/store/database.ts";
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

/**
 * Which database the tests run on: SQLite files by default; PostgreSQL when RELAIS_TEST_STORE=pg
 * (the "postgres" vitest project), each test in a schema of its own, dropped afterwards.
 */
export const TEST_STORE = process.env.RELAIS_TEST_STORE === "pg" ? "pg" : "sqlite";
export const TEST_PG_URL = process.env.RELAIS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestRelais {
  relais: Relais;
  clock: ManualClock;
  dbPath: string;
  /** The DATABASE_URL of this test's database (another replica can open it). */
  url: string;
  /** Runs a typed line as `actor` and returns the reply. */
  say(line: string, opts?: { actor?: Actor; lang?: Lang; answers?: string[] }): Promise<Reply>;
  text(line: string, opts?: { actor?: Actor; lang?: Lang; answers?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export const alice: Actor = { id: "U-alice", name: "Alice" };
export const bob: Actor = { id: "U-bob", name: "Bob" };

/** Relais on a real SQLite file in a temp folder, on a manual clock (Tuesday 10:00 in Paris). */
export async function startRelais(opts: { now?: DateTime; policy?: Policy } = {}): Promise<TestRelais> {
  const { dir, cleanup: removeDir } = tempDir();
  const dbPath = join(dir, "relais.db");
  const schema = `t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const url = TEST_STORE === "pg" ? `${TEST_PG_URL}?schema=${schema}` : `file:${dbPath}`;
  const cleanup = async () => {
    removeDir();
    if (TEST_STORE !== "pg") return;
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  };
  const store = await openStore(url);
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
    url,
    say,
    text: async (line, o) => renderText(await say(line, o)),
    close: async () => {
      await store.close();
      await cleanup();
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
