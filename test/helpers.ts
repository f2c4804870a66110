import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DateTime } from "luxon";
import pg from "pg";
import { commands } from "../commands/index.ts";
import { createRelais, type Relais } from "../src/app.ts";
import type { ManualClock } from "../src/clock.ts";
import type { Policy } from "../src/config/policy.ts";
import type { Lang } from "../src/i18n/index.ts";
import { handleLine, type FormAsker } from "../src/kit/dispatch.ts";
import type { OutboxDispatcher } from "../src/outbox/dispatcher.ts";
import type { Reply } from "../src/reply.ts";
import { openStore } from "../src/store/database.ts";
import { renderText } from "../src/surfaces/shell/render.ts";
import type { Actor } from "../src/timeline/events.ts";
import { type Cleanup, cleanupsAfterEach } from "./support/cleanups.ts";
import { alice, defaultPolicy, manualClock, paris } from "./support/fixtures.ts";
import { FormFiller, type FormAnswers } from "./support/form.ts";
import { RecordingSender } from "./support/recording-sender.ts";

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

export interface SayOptions {
  actor?: Actor;
  lang?: Lang;
  /** Fills the form the command opens, by field id; without it, a missing value is refused. */
  form?: FormAnswers;
}

export interface TestRelais {
  relais: Relais;
  clock: ManualClock;
  dbPath: string;
  /** The DATABASE_URL of this test's database (another replica can open it). */
  url: string;
  /** Runs a typed line as `actor` (Alice unless told) and returns the reply. */
  say(line: string, opts?: SayOptions): Promise<Reply>;
  text(line: string, opts?: SayOptions): Promise<string>;
  /**
   * A restart: closes this store and returns a new Relais over the same database, at the same
   * time (with another policy, when given: edited between the two runs).
   */
  restart(changes?: { policy?: Policy }): Promise<TestRelais>;
  close(): Promise<void>;
}

/** Relais over a real store (SQLite file in a temp folder, or a PostgreSQL schema), on a manual clock (Tuesday 10:00 in Paris). */
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
  return relaisOver(url, dbPath, cleanup, opts);
}

/** Relais over the database at `url` (new, or reopened by a restart); `cleanup` removes the database. */
async function relaisOver(
  url: string,
  dbPath: string,
  cleanup: () => Promise<void>,
  opts: { now?: DateTime; policy?: Policy },
): Promise<TestRelais> {
  const store = await openStore(url);
  const clock = manualClock(opts.now);
  const relais = createRelais({ store, policy: opts.policy ?? defaultPolicy(), clock });
  const say = async (line: string, o: SayOptions = {}) => {
    const filler = o.form ? new FormFiller(o.form) : undefined;
    const asker: FormAsker | undefined = filler;
    const reply = await handleLine(line, commands, relais.context(o.actor ?? alice, o.lang ?? "fr"), asker);
    filler?.check();
    return reply;
  };
  return {
    relais,
    clock,
    dbPath,
    url,
    say,
    text: async (line, o) => renderText(await say(line, o)),
    restart: async (changes = {}) => {
      await store.close();
      return relaisOver(url, dbPath, cleanup, { ...opts, ...changes, now: clock.now() });
    },
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
}

/**
 * For files whose tests each start their own Relais (with options of their own): returns the
 * function that starts one, and closes it after the test (with the test's other `cleanups`, in
 * reverse order, when given).
 */
export function relaisPerTest(
  cleanups: Cleanup[] = cleanupsAfterEach(),
): (opts?: { now?: DateTime; policy?: Policy }) => Promise<TestRelais> {
  return async (opts) => {
    const r = await startRelais(opts);
    cleanups.push(() => r.close());
    return r;
  };
}

export interface OutboxRelais extends TestRelais {
  /** What the outbox sent, per channel. */
  out: RecordingSender;
  dispatcher: OutboxDispatcher;
  /** Moves the clock to `iso` (Paris), fires what is due, sends what the outbox holds. */
  at(iso: string): Promise<void>;
}

/** startRelais with its outbox delivered to a RecordingSender (the shell platform). */
export async function startRelaisWithOutbox(opts: { now?: DateTime; policy?: Policy } = {}): Promise<OutboxRelais> {
  const r = await startRelais(opts);
  const out = new RecordingSender();
  const dispatcher = r.relais.dispatcher({ shell: out });
  return {
    ...r,
    out,
    dispatcher,
    at: async (iso) => {
      r.clock.set(paris(iso));
      await r.relais.scheduler.tick();
      await dispatcher.flush();
    },
  };
}

// Here too, where the tests have always found it (the bench imports it from test/support/).
export { freePort } from "./support/free-port.ts";
