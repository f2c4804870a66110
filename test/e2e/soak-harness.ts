import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { freePort, TEST_PG_URL } from "../helpers.ts";
import type { Cleanup } from "../support/cleanups.ts";
import { type FakeSlack, type SlackCall, sendToBot, slashCommand } from "../support/fake-slack.ts";
import { declareOutage, received, relaisProcess, SECRET, startDrill, stop, until } from "./drill.ts";

/**
 * The soak of issue 14: real Relais processes killed with SIGKILL at 20 moments a seeded PRNG
 * chooses, during a P1 outage (updates every 2 s), tickets whose SLA warnings fall due, and a
 * steady stream of signed /ticket commands. The "fast clock" is the policy's: a 2 s cadence and a
 * 6 s first response (warning 1 s before), on the real wall clock, so no clock is faked.
 */

/** The drill policy's P1 cadence, and the scheduler's tick (RELAIS_TICK_MS). */
export const CADENCE_MS = 2000;
export const TICK_MS = 100;
/** P1 first response in the soak policy; its warning falls due 1 s before. */
const FIRST_RESPONSE_S = 6;
export const WARN_BEFORE_MS = 1000;
const KILLS = Number(process.env.RELAIS_SOAK_KILLS ?? 20);

/** mulberry32: a small PRNG whose whole state is its seed, so a run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * RELAIS_SOAK_SEED replays a run's plan (which moments, which replica, how long down); otherwise a
 * new seed (printed by the test). The interleaving inside the processes is the machine's.
 */
export function soakSeed(): number {
  const given = process.env.RELAIS_SOAK_SEED;
  return given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

/**
 * Where a kill lands: just after a promised update falls due (mid-scheduler pass, between the
 * outbox write and the post), just after a /ticket command is sent (mid-ack, or with the work
 * after the ack under way), or anywhere.
 */
export type KillKind = "due" | "ack" | "any";

export interface KillPlan {
  kind: KillKind;
  /** ms after the anchor (the due time, the command sent, the replica up): when the SIGKILL goes. */
  offsetMs: number;
  /** How long the killed replica stays down before it is started again. */
  downMs: number;
  /** Which replica (PostgreSQL: 0 or 1; SQLite: always 0). */
  replica: number;
}

export function planKills(rand: () => number, replicas: number): KillPlan[] {
  const kinds: KillKind[] = ["due", "ack", "any"];
  return Array.from({ length: KILLS }, () => {
    const kind = kinds[Math.floor(rand() * kinds.length)]!;
    const offsetMs = kind === "due" ? rand() * 150 : kind === "ack" ? rand() * 60 : 200 + rand() * 1000;
    return {
      kind,
      offsetMs: Math.round(offsetMs),
      downMs: Math.round(200 + rand() * 1800),
      replica: Math.floor(rand() * replicas),
    };
  });
}

/** A few queries on the run's database, SQLite or PostgreSQL alike (quoted names work on both). */
export interface SoakDb {
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** A stored instant as epoch ms: Prisma keeps DateTime as ms on SQLite, a Date comes from pg. */
export function millis(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number" || typeof v === "bigint") return Number(v);
  return new Date(String(v)).getTime();
}

export interface Down {
  replica: number;
  /** The SIGKILL. */
  from: number;
  /** The replica started again and working (its scheduler's first pass done). */
  to: number;
  plan: KillPlan;
}

export interface SoakResult {
  seed: number;
  database: "sqlite" | "postgres";
  slack: FakeSlack;
  db: SoakDb;
  replicas: number;
  leaseMs: number;
  downs: Down[];
  commands: { title: string; acked: boolean }[];
  /** When the final SIGTERMs were sent. */
  endedAt: number;
  startedAt: number;
}

interface Replica {
  port: number;
  env: Record<string, string>;
  child: ChildProcess | undefined;
}

/**
 * Runs the soak on one database: replicas up, outage declared, commands streaming, 20 kills as
 * planned by `seed`, a quiet end (no kill for a cadence and more), then SIGTERM to all.
 */
export async function runSoak(
  database: "sqlite" | "postgres",
  seed: number,
  cleanups: Cleanup[],
  log: (line: string) => void,
): Promise<SoakResult> {
  const startedAt = Date.now();
  const rand = prng(seed);
  const replicaCount = database === "sqlite" ? 1 : 2;
  const plans = planKills(rand, replicaCount);
  const drill = await startDrill(cleanups, `xoxb-soak-${database}`, {
    firstResponse: `${FIRST_RESPONSE_S}s`,
    defaultPriority: "P1",
  });
  const slack = drill.slack;
  // SQLite: the default lease (a single process; what it held when killed waits for the restart).
  const leaseMs = database === "postgres" ? 1000 : 60_000;
  let url: string;
  let db: SoakDb;
  if (database === "sqlite") {
    const path = join(drill.dir, "relais.db");
    url = `file:${path}`;
    let handle: Database.Database | undefined;
    db = {
      async rows<T>(sql: string) {
        // Opened on first use: the first replica creates the file.
        handle ??= new Database(path, { readonly: true });
        return handle.prepare(sql).all() as T[];
      },
      async close() {
        handle?.close();
      },
    };
    cleanups.push(() => db.close());
  } else {
    const schema = `soak_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    url = `${TEST_PG_URL}?schema=${schema}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await admin.query(`SET search_path TO "${schema}"`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    });
    db = { rows: async <T>(sql: string) => (await admin.query(sql)).rows as T[], close: async () => {} };
  }

  const replicas: Replica[] = [];
  for (let i = 0; i < replicaCount; i++) {
    const port = await freePort();
    replicas.push({
      port,
      env: { ...drill.env(port, url), ...(database === "postgres" ? { RELAIS_LEASE_MS: String(leaseMs) } : {}) },
      child: undefined,
    });
  }
  let readyMs = 0;
  /** Started, and working: its scheduler has finished a pass (what /healthz says). */
  const up = async (r: Replica) => {
    const t0 = Date.now();
    r.child = await relaisProcess(r.env, cleanups);
    readyMs = Date.now() - t0;
    await until(async () => {
      const res = await fetch(`http://127.0.0.1:${r.port}/healthz`).catch(() => undefined);
      const health = (await res?.json().catch(() => undefined)) as { scheduler?: { lastPassAt?: string | null } };
      return Boolean(health?.scheduler?.lastPassAt);
    }, "a first scheduler pass");
  };
  for (const r of replicas) await up(r);
  await declareOutage(slack, replicas[0]!.port);
  await until(
    () => received(slack, "C-A").length >= 1 && received(slack, "C-B").length >= 1,
    "the announcement on both channels",
  );

  // The stream: signed /ticket commands, one after the other, to each replica in turn.
  const commands: { title: string; acked: boolean }[] = [];
  let n = 0;
  const send = async (replica: Replica) => {
    const title = `Soak ${seed} n°${++n}`;
    const form = slashCommand(slack, "/ticket", title, { trigger_id: `trigger-${n}`, channel_id: "C-HELP" });
    const entry = { title, acked: false };
    commands.push(entry);
    try {
      const res = await sendToBot(`http://127.0.0.1:${replica.port}/slack/events`, form, { secret: SECRET });
      entry.acked = res.status === 200;
    } catch {
      // Nobody listening, or the connection cut by the kill: not acknowledged.
    }
  };
  let streaming = true;
  const stream = (async () => {
    for (let k = 0; streaming; k++) {
      await send(replicas[k % replicas.length]!);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  const downs: Down[] = [];
  const nextDue = async () =>
    millis((await db.rows<{ d: unknown }>(`SELECT "nextUpdateDue" AS d FROM "Outage" WHERE id = 1`))[0]!.d);
  const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
  for (const [i, plan] of plans.entries()) {
    const victim = replicas[plan.replica]!;
    // A moment of work first: at least a few ticks with the replica up.
    await new Promise((r) => setTimeout(r, 300));
    if (plan.kind === "due") {
      await sleepUntil(Math.max(await nextDue(), Date.now()) + plan.offsetMs);
    } else if (plan.kind === "ack") {
      void send(victim);
      await new Promise((r) => setTimeout(r, plan.offsetMs));
    } else {
      await new Promise((r) => setTimeout(r, plan.offsetMs));
    }
    alive(victim);
    const from = Date.now();
    await stop(victim.child!, "SIGKILL");
    await new Promise((r) => setTimeout(r, plan.downMs));
    await up(victim);
    downs.push({ replica: plan.replica, from, to: Date.now(), plan });
    log(
      `kill ${i + 1}/${KILLS}: replica ${plan.replica}, ${plan.kind}+${plan.offsetMs}ms, down ${Date.now() - from}ms (start ${readyMs} ms to ready)`,
    );
  }
  // A quiet end: no kill for two cadences, then the stream stops and its last work settles.
  await new Promise((r) => setTimeout(r, 2 * CADENCE_MS));
  streaming = false;
  await stream;
  await new Promise((r) => setTimeout(r, 1000));
  const endedAt = Date.now();
  for (const r of replicas) alive(r);
  const codes = await Promise.all(replicas.map((r) => stop(r.child!, "SIGTERM")));
  if (codes.some((c) => c !== 0)) throw new Error(`a graceful stop did not exit 0: ${codes.join(", ")}`);
  return { seed, database, slack, db, replicas: replicaCount, leaseMs, downs, commands, endedAt, startedAt };
}

/** A replica that died by itself is a failure of its own (and `stop` would wait for it forever). */
function alive(r: Replica): void {
  const c = r.child!;
  if (c.exitCode !== null || c.signalCode !== null)
    throw new Error(`the replica on port ${r.port} exited by itself (${c.exitCode ?? c.signalCode})`);
}

/** The outbox key a post carried in its metadata (the Slack sender puts it there). */
export function keyOf(call: SlackCall): string | undefined {
  const meta = call.body.metadata as { event_payload?: { key?: string } } | undefined;
  return meta?.event_payload?.key;
}

/** The outage's timed posts on `channel` (the announcement, then each "no change" update), in arrival order. */
export function timedPosts(slack: FakeSlack, channel: string): { key: string; at: number; dueMs?: number }[] {
  return slack
    .of("chat.postMessage")
    .filter((c) => c.body.channel === channel)
    .map((c) => ({ key: keyOf(c) ?? "", at: c.at }))
    .filter((p) => /^INC-1:(declared|no-change-\d+):/.test(p.key))
    .map((p) => {
      const due = p.key.match(/no-change-(\d+)/)?.[1];
      return due ? { ...p, dueMs: Number(due) } : p;
    })
    .sort((a, b) => a.at - b.at);
}
