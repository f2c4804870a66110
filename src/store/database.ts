import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client.ts";
import { migratePostgres } from "./migrate-postgres.ts";
import Database from "better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.ts";
import { migrateSqlite } from "./migrate-sqlite.ts";
import type { EscalationRepository } from "../escalations/escalation-repository.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { UpdateDraftRepository } from "../tickets/update-draft-repository.ts";
import type { DraftRepository, IdempotencyRepository, ThreadRepository } from "./chat-repositories.ts";
import {
  PrismaDraftRepository,
  PrismaIdempotencyRepository,
  PrismaThreadRepository,
} from "./prisma-chat-repositories.ts";
import { PrismaEscalationRepository } from "./prisma-escalation-repository.ts";
import { PrismaJobRepository } from "./prisma-job-repository.ts";
import { PrismaOutageRepository } from "./prisma-outage-repository.ts";
import { PrismaOutboxRepository } from "./prisma-outbox-repository.ts";
import { PrismaTicketRepository } from "./prisma-ticket-repository.ts";
import { PrismaUpdateDraftRepository } from "./prisma-update-draft-repository.ts";

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
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = "file:./data/relais.db";

/** Path of a `file:` SQLite URL, resolved against the working directory. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path === ":memory:" ? path : resolve(path);
}

/** Opens the store named by DATABASE_URL: PostgreSQL for `postgres(ql)://…`, SQLite otherwise. */
export function openStore(url = DEFAULT_DATABASE_URL): Promise<Store> {
  return /^postgres(ql)?:\/\//.test(url) ? openPostgresStore(url) : openSqliteStore(url);
}

/**
 * Opens the SQLite database at `url` (created if missing), switches it to WAL, applies pending
 * migrations, and returns the store.
 */
export async function openSqliteStore(url = DEFAULT_DATABASE_URL): Promise<Store> {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrateSqlite(db);
  } finally {
    db.close();
  }
  // WAL is a property of the file, so Prisma's own connection inherits it.
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: path, timeout: 5000 }) });
  await prisma.$connect();
  return storeOver(prisma);
}

/**
 * Opens PostgreSQL (several replicas share it): applies pending migrations under an advisory lock,
 * then queries through Prisma's pg adapter. `?schema=name` selects a schema (default `public`).
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? "public";
  parsed.searchParams.delete("schema");
  const connectionString = parsed.toString();
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await migratePostgres(client, schema);
  } finally {
    await client.end();
  }
  const prisma = new PgPrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }, { schema }) });
  await prisma.$connect();
  // Same models, same generated API: the repositories take either client.
  return storeOver(prisma as unknown as PrismaClient);
}

function storeOver(prisma: PrismaClient): Store {
  return {
    tickets: new PrismaTicketRepository(prisma),
    threads: new PrismaThreadRepository(prisma),
    requests: new PrismaIdempotencyRepository(prisma),
    drafts: new PrismaDraftRepository(prisma),
    jobs: new PrismaJobRepository(prisma),
    outbox: new PrismaOutboxRepository(prisma),
    outages: new PrismaOutageRepository(prisma),
    escalations: new PrismaEscalationRepository(prisma),
    updateDrafts: new PrismaUpdateDraftRepository(prisma),
    ping: async () => {
      try {
        await prisma.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    close: () => prisma.$disconnect(),
  };
}
