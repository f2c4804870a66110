import type { Logger } from "pino";
import type { EscalationRepository } from "../escalations/escalation-repository.ts";
import type { CommandRepository } from "../kit/recorded-commands.ts";
import type { OutageRepository } from "../outages/outage-repository.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { JobRepository } from "../scheduler/job-repository.ts";
import type { TicketRepository } from "../tickets/ticket-repository.ts";
import type { DeskRepository } from "../tickets/desk-repository.ts";
import type { DeskViewerRepository } from "../kit/desk-homes.ts";
import type { UpdateDraftRepository } from "../tickets/update-draft-repository.ts";
import type { UnitOfWork } from "../unit-of-work.ts";
import type { DraftRepository, IdempotencyRepository, ThreadRepository } from "./chat-repositories.ts";
import { resolve } from "node:path";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Defended } from "./defended-client.ts";
import type { HotPath } from "./sqlite-hot-path.ts";
import {
  PrismaDraftRepository,
  PrismaIdempotencyRepository,
  PrismaThreadRepository,
} from "./prisma-chat-repositories.ts";
import { PrismaCommandRepository } from "./prisma-command-repository.ts";
import { PrismaDeskRepository, PrismaDeskViewerRepository } from "./prisma-desk-repository.ts";
import { PrismaEscalationRepository } from "./prisma-escalation-repository.ts";
import { PrismaJobRepository } from "./prisma-job-repository.ts";
import { PrismaOutageRepository } from "./prisma-outage-repository.ts";
import { PrismaOutboxRepository } from "./prisma-outbox-repository.ts";
import { PrismaTicketRepository } from "./prisma-ticket-repository.ts";
import { PrismaUpdateDraftRepository } from "./prisma-update-draft-repository.ts";

/* The store as the rest of Relais sees it, and what the SQLite and PostgreSQL openers share. */

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
  /**
   * SQLite: copies what the write-ahead log holds into the database file (a passive checkpoint), from
   * a thread and a connection of its own (src/store/sqlite-checkpointer.ts), and resolves with the
   * pages copied. Run when no request waits for its ack (src/store/quiet-checkpoints.ts) instead of
   * inside the commit that fills the log. Absent on PostgreSQL, which checkpoints in its own processes.
   */
  checkpoint?(): Promise<number>;
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

/**
 * The store over `prisma` (the defended client: guard and retries); `base`, the bare client, only
 * probes, so a health check answers at once instead of waiting out the retries.
 */
export function storeOver(
  base: PrismaClient,
  { prisma, unit }: Defended,
  db: {
    created: boolean;
    location: string;
    lost: () => string | undefined;
    probeSql: string;
    /** The creation's writes without Prisma's per-query cost (src/store/sqlite-hot-path.ts). */
    hot?: HotPath;
  },
): Store {
  const requests = new PrismaIdempotencyRepository(prisma, db.hot);
  return {
    created: db.created,
    location: db.location,
    unit,
    tickets: new PrismaTicketRepository(prisma, db.hot),
    threads: new PrismaThreadRepository(prisma, db.hot),
    requests,
    drafts: new PrismaDraftRepository(prisma),
    jobs: new PrismaJobRepository(prisma, db.hot),
    outbox: new PrismaOutboxRepository(prisma, db.hot),
    outages: new PrismaOutageRepository(prisma),
    escalations: new PrismaEscalationRepository(prisma),
    updateDrafts: new PrismaUpdateDraftRepository(prisma),
    commands: new PrismaCommandRepository(prisma, requests, db.hot),
    desk: new PrismaDeskRepository(prisma),
    deskViewers: new PrismaDeskViewerRepository(prisma, db.hot),
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
