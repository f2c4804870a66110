import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { commands } from "../commands/index.ts";
import { handleLine } from "../src/kit/dispatch.ts";
import { projectPath } from "../src/paths.ts";
import { migrateSqlite } from "../src/store/migrate-sqlite.ts";
import { openBenchApp } from "./app.ts";
import { benchSchema } from "./postgres.ts";
import { printTable, section, type Check } from "./report.ts";
import { measure, summarize, type Summary } from "./stats.ts";
import { npmStartArgs } from "../test/support/npm-start.ts";

/**
 * Issue 16: how many `/ticket <title>` per second Relais creates, beside the rate of the bare SQL
 * (the ticket row and its timeline event in one transaction through better-sqlite3) in the same
 * run: through the command layer one at a time, piped into the compiled shell (time to exit), and
 * on PostgreSQL with 16 concurrent callers. Each rate is checked against its floor.
 */

/** Floors of issue 16. */
const SQLITE_FLOOR = 2_000;
const POSTGRES_FLOOR = 1_000;

const BARE_N = 10_000;
const COMMAND_N = 3_000;
const WARMUP = 200;
/** As measured in the issue: 10,000 one-line tickets piped into the shell. */
const SHELL_LINES = Number(process.env.RELAIS_BENCH_SHELL_LINES ?? 10_000);
const PG_CALLERS = 16;
const PG_N = 3_000;

const TITLE = "Imprimante bloquée au 2e étage";
const LINE = `/ticket ${TITLE}`;

export async function throughputBench(): Promise<{ checks: Check[] }> {
  section("throughput of /ticket <title>: bare SQL, command layer, shell, PostgreSQL");
  const rows: { label: string; s: Summary }[] = [];

  const bare = bareSql(BARE_N);
  rows.push({ label: "bare SQL: ticket + event, one transaction", s: bare });

  const app = await openBenchApp();
  let command: Summary;
  try {
    command = await measure(
      async () => {
        const r = await handleLine(LINE, commands, app.ctx);
        if (r.error !== undefined || r.ticketId === undefined) throw new Error(`${LINE}: ${JSON.stringify(r)}`);
      },
      { iterations: COMMAND_N, warmup: WARMUP },
    );
  } finally {
    await app.close();
  }
  rows.push({ label: "sqlite: command layer, one at a time", s: command });

  const shell = await pipedShell(SHELL_LINES);
  rows.push({ label: `sqlite: ${SHELL_LINES} lines piped into the shell`, s: shell.run });

  const pg = await postgresConcurrent(PG_CALLERS, PG_N);
  if (pg) rows.push({ label: `postgres: command layer, ${PG_CALLERS} callers`, s: pg });

  console.log();
  printTable(rows);
  console.log(
    `shell: ${(shell.run.totalMs / 1000).toFixed(1)} s to exit for ${SHELL_LINES} lines, of which ${(shell.startMs / 1000).toFixed(2)} s is a start and exit with no input`,
  );
  console.log();
  const vsBare = (s: Summary) => `bare SQL / this = ${(bare.perSec / s.perSec).toFixed(1)}x`;
  const checks = [
    floorCheck("sqlite command layer tickets/s", command.perSec, SQLITE_FLOOR, vsBare(command)),
    floorCheck("sqlite shell (piped) tickets/s", shell.run.perSec, SQLITE_FLOOR, vsBare(shell.run)),
  ];
  if (pg) checks.push(floorCheck(`postgres ${PG_CALLERS} callers tickets/s`, pg.perSec, POSTGRES_FLOOR, vsBare(pg)));
  else console.log("postgres: not available; its floor is not checked");
  return { checks };
}

/** `rate` against its floor; the ratio checked is floor / rate (below 1 when the floor is met). */
function floorCheck(label: string, rate: number, floor: number, beside: string): Check {
  const ok = rate >= floor;
  const ratio = floor / rate;
  console.log(
    `${label} = ${rate.toFixed(0)} (floor ${floor}; floor/rate = ${ratio.toFixed(2)}x; ${beside})${ok ? "" : "   <<< BELOW FLOOR"}`,
  );
  return { label: `${label}: floor/rate`, ratio, max: 1, ok };
}

/**
 * The ticket row and its `created` event in one transaction, through better-sqlite3's prepared
 * statements on a fresh file with the real schema: the floor nothing above the database can beat.
 */
function bareSql(n: number): Summary {
  const dir = mkdtempSync(join(tmpdir(), "relais-bare-"));
  const db = new Database(join(dir, "bare.db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrateSqlite(db);
    const ticket = db.prepare(
      `INSERT INTO "Ticket" ("title", "status", "priority", "priorityReason", "createdBy", "ownerId", "ownerName", "createdAt", "clockStart", "firstResponseDue", "resolutionDue", "updatedAt") VALUES (?, 'new', 'P3', 'default', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const event = db.prepare(
      `INSERT INTO "TicketEvent" ("ticketId", "at", "actorId", "actorName", "kind", "data") VALUES (?, ?, ?, ?, 'created', ?)`,
    );
    const begin = db.prepare("BEGIN");
    const commit = db.prepare("COMMIT");
    const once = (i: number) => {
      const at = new Date(Date.UTC(2026, 10, 24, 9, 0, 0, i)).toISOString().replace("Z", "+00:00");
      begin.run();
      const { lastInsertRowid } = ticket.run(TITLE, "bench", "bench", "Bench", at, at, at, at, at);
      event.run(lastInsertRowid, at, "bench", "Bench", `{"priority":"P3","assessment":null}`);
      commit.run();
    };
    for (let i = 0; i < WARMUP; i++) once(i);
    const samples: number[] = new Array(n);
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      once(WARMUP + i);
      samples[i] = performance.now() - t0;
    }
    return summarize(samples, performance.now() - start);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `lines` one-line tickets piped into the shell as `npm start` runs it (`node dist/app/main.js`, built first) on a
 * fresh SQLite file: from spawn to exit. A start with no input is timed too, to show its share.
 */
async function pipedShell(lines: number): Promise<{ run: Summary; startMs: number }> {
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: projectPath("."), stdio: "inherit" });
  if (build.status !== 0) throw new Error("npm run build failed");
  const dir = mkdtempSync(join(tmpdir(), "relais-shell-"));
  try {
    const input = `${Array.from({ length: lines }, (_, i) => `${LINE} #${i + 1}`).join("\n")}\n`;
    const startMs = await runShell(join(dir, "empty.db"), "", 0);
    const ms = await runShell(join(dir, "shell.db"), input, lines);
    return { run: { ...summarize([ms / lines], ms), n: lines, perSec: (lines / ms) * 1000 }, startMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runShell(dbPath: string, input: string, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, npmStartArgs(), {
      cwd: projectPath("."),
      env: { ...shellEnv(), RELAIS_ENV_FILE: "/dev/null", DATABASE_URL: `file:${dbPath}`, LOG_LEVEL: "warn" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let tail = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`the shell exited with ${code}: ${stderr}`));
      // The last ticket's reply names it: every line made a ticket.
      if (expected > 0 && !tail.includes(`T-${expected} `))
        return reject(new Error(`the shell's last reply is not T-${expected}'s: ${tail.slice(-400)}`));
      resolve(ms);
    });
    child.stdin.end(input);
  });
}

/** This process's environment without a platform's token: the child is the shell, not a bot. */
function shellEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK|DISCORD)_/.test(k)));
}

/** `n` tickets through the command layer on PostgreSQL, `callers` at a time; undefined without a server. */
async function postgresConcurrent(callers: number, n: number): Promise<Summary | undefined> {
  const schema = benchSchema();
  let app: Awaited<ReturnType<typeof openBenchApp>>;
  try {
    app = await openBenchApp(schema.url);
  } catch (e) {
    console.log(`postgres: not available (${(e as Error).message}); skipped`);
    return undefined;
  }
  try {
    const samples: number[] = [];
    let next = 0;
    let timed = false;
    const caller = async (until: number) => {
      while (next < until) {
        next++;
        const t0 = performance.now();
        const r = await handleLine(LINE, commands, app.ctx);
        if (r.error !== undefined) throw new Error(`${LINE} on PostgreSQL: ${r.error}`);
        if (timed) samples.push(performance.now() - t0);
      }
    };
    const all = (until: number) => Promise.all(Array.from({ length: callers }, () => caller(until)));
    await all(WARMUP);
    timed = true;
    const start = performance.now();
    await all(WARMUP + n);
    return summarize(samples, performance.now() - start);
  } finally {
    await app.close();
    await schema.drop();
  }
}
