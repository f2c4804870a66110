import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Logger } from "pino";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client.ts";
import { MIGRATION_LOCK, migratePostgres } from "./migrate-postgres.ts";
import Database from "better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.ts";
import { migrateSqlite } from "./migrate-sqlite.ts";
import type { EscalationRepository } from "../escalations/escalation-repository.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { DeskRepository } from "../tickets/desk-repository.ts";
import type { UpdateDraftRepository } from "../tickets/update-draft-repository.ts";
import type { DraftRepository, IdempotencyRepository, ThreadRepository } from "./chat-repositories.ts";
import {
  PrismaDraftRepository,
  PrismaIdempotencyRepository,
  PrismaThreadRepository,
} from "./prisma-chat-repositories.ts";
import type { CommandRepository } from "../kit/recorded-commands.ts";
import { PrismaCommandRepository } from "./prisma-command-repository.ts";
import { PrismaDeskRepository, PrismaDeskViewerRepository } from "./prisma-desk-repository.ts";
import type { DeskViewerRepository } from "../kit/desk-homes.ts";
import { PrismaEscalationRepository } from "./prisma-escalation-repository.ts";
import { PrismaJobRepository } from "./prisma-job-repository.ts";
import { PrismaOutageRepository } from "./prisma-outage-repository.ts";
import { PrismaOutboxRepository } from "./prisma-outbox-repository.ts";
import { PrismaTicketRepository } from "./prisma-ticket-repository.ts";
import { PrismaUpdateDraftRepository } from "./prisma-update-draft-repository.ts";
import { type Defended, defendedClient } from "./defended-client.ts";
import type { UnitOfWork } from "../unit-of-work.ts";
import { SqliteFileIdentity } from "./sqlite-file.ts";

/** The store behind its repositories; the domain only ever sees the repository interfaces. */
export interface Store {
  tickets: TicketRepository;
  threads: ThreadRepository;
  requests: IdempotencyRepository;
  drafts: DraftRepository;
  jobs: JobRepository;
  outbox: OutboxRepository;
  outages: OutageRepository;
  escalations: EscalationRepository;
  updateDrafts: UpdateDraftRepository;
  /** Commands acknowledged to a platform, recorded until done (src/kit/recorded-commands.ts). */
  commands: CommandRepository;
  /** A person's desk: the bounded reads of the Slack App Home (src/tickets/desk.ts). */
  desk: DeskRepository;
  /** Who opened their desk (src/kit/desk-homes.ts). */
  deskViewers: DeskViewerRepository;
  /** One transaction around a command's or a job's writes (src/unit-of-work.ts). */
  unit: UnitOfWork;
  /** Whether the database takes a write now, and the outbox's backlog (for /healthz). */
  probe(): Promise<DatabaseProbe>;
  /** True when this start found no database and created a new empty one. */
  readonly created: boolean;
  /** Where the database is: the SQLite file's path, or the PostgreSQL URL with its password masked. */
  readonly location: string;
  close(): Promise<void>;
}

export type DatabaseProbe =
  | { writable: true; outbox: { pending: number; failed: number } }
  | { writable: false; problem: string };

export interface OpenOptions {
  log?: Logger | undefined;
  /** RELAIS_EXPECT_DATABASE=1: a missing database stops the start instead of being created empty. */
  expectExisting?: boolean | undefined;
}

/** The start found no database where one was expected (RELAIS_EXPECT_DATABASE=1). */
export class DatabaseMissingError extends Error {
  override name = "DatabaseMissingError";
  constructor(readonly location: string) {
    super(
      `Relais: RELAIS_EXPECT_DATABASE=1 but there is no Relais database at ${location}; not starting (restore the database or fix DATABASE_URL, or unset RELAIS_EXPECT_DATABASE to create a new empty one)`,
    );
  }
}

/** A PostgreSQL URL fit for a log or an error message: its password masked. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
  }
}

export const DEFAULT_DATABASE_URL = "file:./data/relais.db";

/** Path of a `file:` SQLite URL, resolved against the working directory. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path === ":memory:" ? path : resolve(path);
}

/** Opens the store named by DATABASE_URL: PostgreSQL for `postgres(ql)://…`, SQLite otherwise. */
export function openStore(url = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Promise<Store> {
  return /^postgres(ql)?:\/\//.test(url) ? openPostgresStore(url, opts) : openSqliteStore(url, opts);
}

/** How often a SQLite store checks, with no query to run, that its file is still the one it opened. */
const FILE_CHECK_MS = 5000;

/**
 * Opens the SQLite database at `url` (created if missing, unless `expectExisting`), switches it to
 * WAL, applies pending migrations, and returns the store. From then on the file's identity is
 * checked before every query and every few seconds (src/store/sqlite-file.ts).
 */
export async function openSqliteStore(url = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Promise<Store> {
  const path = sqlitePath(url);
  const memory = path === ":memory:";
  // A database is there when the file is, with Relais's migrations table in it.
  let created = memory || !existsSync(path);
  if (created && opts.expectExisting) throw new DatabaseMissingError(path);
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    if (!created && !db.prepare(`SELECT 1 FROM sqlite_master WHERE name = '_prisma_migrations'`).get()) {
      if (opts.expectExisting) throw new DatabaseMissingError(path);
      created = true;
    }
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrateSqlite(db);
    releaseClaims(db);
  } finally {
    db.close();
  }
  // WAL is a property of the file, so Prisma's own connection inherits it.
  const base = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: path, timeout: 5000 }) });
  await base.$connect();
  const file = memory ? undefined : new SqliteFileIdentity(path, opts.log);
  const lost = () => file?.problem();
  const check = file ? setInterval(lost, FILE_CHECK_MS).unref() : undefined;
  const store = storeOver(base, defendedClient(base, { lost, log: opts.log, serialized: true }), {
    created,
    location: path,
    lost,
    probeSql: `UPDATE "_prisma_migrations" SET "applied_steps_count" = "applied_steps_count" WHERE 1 = 0`,
  });
  return {
    ...store,
    close: () => {
      clearInterval(check);
      return store.close();
    },
  };
}

/**
 * One Relais runs on a SQLite file (several replicas need PostgreSQL), so a claim found at open was
 * left by a process that died holding it (SIGKILL, power cut): released, its post, job or
 * acknowledged command is taken at the first pass instead of after its lease (RELAIS_LEASE_MS, a
 * minute by default), which would hold every later post of that channel behind it. The claim's attempt stays counted, so a post that may
 * have reached the platform before the crash is looked for before it is sent again.
 */
function releaseClaims(db: Database.Database): void {
  for (const table of ["OutboxMessage", "Job", "RecordedCommand"]) {
    db.prepare(
      `UPDATE "${table}" SET "claimedBy" = NULL, "leaseUntil" = NULL WHERE "status" = 'pending' AND "leaseUntil" IS NOT NULL`,
    ).run();
  }
}

/**
 * Opens PostgreSQL (several replicas share it): applies pending migrations under an advisory lock,
 * then queries through Prisma's pg adapter. `?schema=name` selects a schema (default `public`).
 */
export async function openPostgresStore(url: string, opts: OpenOptions = {}): Promise<Store> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? "public";
  parsed.searchParams.delete("schema");
  const connectionString = parsed.toString();
  const client = new pg.Client({ connectionString });
  await client.connect();
  let created: boolean;
  // Under the migrations' lock: of replicas starting together on an empty schema, one creates it.
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    // A database is there when Relais's migrations table is, in the schema.
    const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [
      `"${schema}"."_prisma_migrations"`,
    ]);
    created = rows[0]?.found == null;
    if (created && opts.expectExisting) throw new DatabaseMissingError(maskUrl(url));
    await migratePostgres(client, schema);
  } finally {
    await client.end(); // ends the session, and its lock with it
  }
  const pool = new pg.Pool({ connectionString, max: 10 });
  // A connection the server ends (restart, pg_terminate_backend) emits "error" on its client, and
  // the pool re-emits it for an idle one; with no listener either would crash the process (the
  // adapter's own pool listener is removed at disconnect, before the pool ends). The query on it
  // fails anyway, and is retried (src/store/defended-client.ts).
  const closedByServer = (e: Error) => opts.log?.warn({ err: e }, "a PostgreSQL connection was closed by the server");
  pool.on("connect", (c) => c.on("error", closedByServer));
  pool.on("error", closedByServer);
  const base = new PgPrismaClient({ adapter: new PrismaPg(pool, { schema }) }) as unknown as PrismaClient;
  await base.$connect();
  // Same models, same generated API: the repositories take either client.
  const store = storeOver(base, defendedClient(base, { log: opts.log }), {
    created,
    location: maskUrl(url),
    lost: () => undefined,
    probeSql: `UPDATE "${schema}"."_prisma_migrations" SET "applied_steps_count" = "applied_steps_count" WHERE 1 = 0`,
  });
  // Closing twice is harmless, as Prisma's $disconnect is (a pool refuses a second end).
  let closing: Promise<void> | undefined;
  return {
    ...store,
    close: () =>
      (closing ??= (async () => {
        await store.close();
        await pool.end();
      })()),
  };
}

/**
 * The store over `prisma` (the defended client: guard and retries); `base`, the bare client, only
 * probes, so a health check answers at once instead of waiting out the retries.
 */
function storeOver(
  base: PrismaClient,
  { prisma, unit }: Defended,
  db: { created: boolean; location: string; lost: () => string | undefined; probeSql: string },
): Store {
  return {
    created: db.created,
    location: db.location,
    unit,
    tickets: new PrismaTicketRepository(prisma),
    threads: new PrismaThreadRepository(prisma),
    requests: new PrismaIdempotencyRepository(prisma),
    drafts: new PrismaDraftRepository(prisma),
    jobs: new PrismaJobRepository(prisma),
    outbox: new PrismaOutboxRepository(prisma),
    outages: new PrismaOutageRepository(prisma),
    escalations: new PrismaEscalationRepository(prisma),
    updateDrafts: new PrismaUpdateDraftRepository(prisma),
    commands: new PrismaCommandRepository(prisma),
    desk: new PrismaDeskRepository(prisma),
    deskViewers: new PrismaDeskViewerRepository(prisma),
    probe: async () => {
      const lost = db.lost();
      if (lost) return { writable: false, problem: lost };
      try {
        // A real write that changes no row: it needs the write lock (SQLite) or a writable primary (PostgreSQL).
        await base.$executeRawUnsafe(db.probeSql);
        const [pending, failed] = await Promise.all([
          base.outboxMessage.count({ where: { status: "pending" } }),
          base.outboxMessage.count({ where: { status: "failed" } }),
        ]);
        return { writable: true, outbox: { pending, failed } };
      } catch (e) {
        return { writable: false, problem: e instanceof Error ? e.message.split("\n").at(-1)! : String(e) };
      }
    },
    close: () => base.$disconnect(),
  };
}
