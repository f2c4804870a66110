import { randomUUID } from "node:crypto";
import pg from "pg";
import { commands } from "../commands/index.ts";
import { handleLine } from "../src/kit/dispatch.ts";
import { Scheduler } from "../src/scheduler/scheduler.ts";
import { openBenchApp, type BenchApp } from "./app.ts";
import { dueThenTick } from "./scheduler.ts";
import { printTable, section, type Check } from "./report.ts";
import { measure, type Summary } from "./stats.ts";

const PG_URL = process.env.RELAIS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** A fresh schema on the test server for one bench run: its URL, and how to drop it afterwards. */
export function benchSchema(): { url: string; drop(): Promise<void> } {
  const schema = `bench_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  return {
    url: `${PG_URL}?schema=${schema}`,
    drop: async () => {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/**
 * The same work on PostgreSQL beside SQLite, in one run: `/ticket <title>` through the command
 * layer (tickets per second, p50/p99) and the scheduler's pass over 1,000 pending jobs with 20 due.
 */
export async function postgresBench(): Promise<{ checks: Check[] }> {
  section("PostgreSQL beside SQLite: /ticket <title> and the scheduler");
  const schema = benchSchema();
  const rows: { label: string; s: Summary }[] = [];
  const results: Record<string, { create: Summary; due: Summary }> = {};
  for (const [name, url] of [
    ["sqlite", undefined],
    ["postgres", schema.url],
  ] as const) {
    let app: BenchApp;
    try {
      app = await openBenchApp(url);
    } catch (e) {
      console.log(`${name}: not available (${(e as Error).message}); skipped`);
      continue;
    }
    const create = await measure(
      async () => {
        const r = await handleLine("/ticket Imprimante bloquée au 2e étage", commands, app.ctx);
        if (r.error) throw new Error(r.error);
      },
      { iterations: 300, warmup: 30 },
    );
    const now = app.clock.now();
    for (let i = 0; i < 1000; i++)
      await app.store.jobs.schedule(
        { key: `later-${i}`, kind: "bench", dueAt: now.plus({ hours: 1 + i }), payload: {} },
        now,
      );
    const scheduler = new Scheduler(app.store.jobs, app.clock).on("bench", async () => {});
    const due = await measure(dueThenTick(app, scheduler, 20), { iterations: 50, warmup: 5 });
    results[name] = { create, due };
    rows.push(
      { label: `${name}: /ticket <title>`, s: create },
      { label: `${name}: schedule + fire 20 of 1,000 jobs`, s: due },
    );
    await app.close();
  }
  if (results.postgres) await schema.drop();
  printTable(rows);
  if (results.sqlite && results.postgres) {
    console.log(
      `tickets per second: sqlite ${results.sqlite.create.perSec.toFixed(0)}, postgres ${results.postgres.create.perSec.toFixed(0)} (postgres/sqlite p50 = ${(results.postgres.create.p50 / results.sqlite.create.p50).toFixed(2)}x)`,
    );
    console.log(
      `scheduler pass (20 due): postgres/sqlite p50 = ${(results.postgres.due.p50 / results.sqlite.due.p50).toFixed(2)}x`,
    );
  }
  // Informative: PostgreSQL pays a network round trip per query; replicas are what it buys.
  return { checks: [] };
}
