import { randomUUID } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { createRelais } from "../../src/app.ts";
import { handleLine } from "../../src/kit/dispatch.ts";
import { openStore } from "../../src/store/database.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { TEST_PG_URL } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { defaultPolicy, manualClock } from "../support/fixtures.ts";

const cleanups = cleanupsAfterEach();

/**
 * A database of its own on the shared server: its connections can be killed (as a PostgreSQL
 * restart or a failover would) without touching anyone else's tests.
 */
async function ownDatabase(): Promise<string> {
  const name = `relais_kill_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

describe("PostgreSQL connections killed mid-burst", () => {
  it("GIVEN every connection terminated again and again during a burst of commands THEN each command is done once and none answers 'unexpected error'", async () => {
    const url = await ownDatabase();
    const retries: string[] = [];
    const storeLog = pino({ level: "warn" }, { write: (line: string) => retries.push(line) });
    const store = await openStore(url, { log: storeLog });
    cleanups.push(() => store.close());
    const relais = createRelais({ store, policy: defaultPolicy(), clock: manualClock() });
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    cleanups.push(() => killer.end());

    const titles = Array.from({ length: 40 }, (_, k) => `Rafale ${k + 1}`);
    let killed = 0;
    // A restart as the commands see it: every connection dropped, a few times over half a second.
    const killing = (async () => {
      for (let round = 0; round < 4; round++) {
        await new Promise((r) => setTimeout(r, round === 0 ? 30 : 120));
        const { rowCount } = await killer.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
        killed += rowCount ?? 0;
      }
    })();
    const errors: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => errors.push(line) });
    const replies = await Promise.all(
      titles.map((title, k) =>
        handleLine(
          `/ticket nouveau ${title}`,
          commands,
          relais.context({ id: `U-${k}`, name: `Tech ${k}` }, "fr"),
          undefined,
          log,
        ),
      ),
    );
    await killing;
    expect(errors).toEqual([]);

    expect(replies.filter((r) => r.error !== undefined).map((r) => renderText(r))).toEqual([]);
    const { rows } = await killer.query<{ title: string; n: number }>(
      `SELECT title, count(*)::int AS n FROM "Ticket" GROUP BY title ORDER BY title`,
    );
    expect(rows).toEqual([...titles].sort().map((title) => ({ title, n: 1 })));
    const refs = replies.map((r) => renderText(r).match(/T-(\d+) ouvert/)?.[1]);
    expect(new Set(refs).size).toBe(titles.length);
    expect(refs).not.toContain(undefined);
    // The burst really ran into killed connections, and came through by retrying.
    expect(killed).toBeGreaterThan(0);
    expect(retries.filter((l) => l.includes("transient database error, retrying")).length).toBeGreaterThan(0);
  });
});
