import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client.ts";
import { type OpenOptions, type Store, DatabaseMissingError, maskUrl, storeOver } from "./store.ts";
import { defendedClient } from "./defended-client.ts";
import { MIGRATION_LOCK, migratePostgres } from "./migrate-postgres.ts";
import { PostgresHotPath } from "./postgres-hot-path.ts";
import { UnitConnections } from "./postgres-units.ts";

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
  const connections = new UnitConnections(pool);
  const base = new PgPrismaClient({
    adapter: connections.adapter(new PrismaPg(pool, { schema })),
  }) as unknown as PrismaClient;
  await base.$connect();
  const defended = defendedClient(base, { log: opts.log, ownTransaction: () => connections.begin() });
  // Same models, same generated API: the repositories take either client.
  const store = storeOver(base, defended, {
    created,
    location: maskUrl(url),
    lost: () => undefined,
    probeSql: `UPDATE "${schema}"."_prisma_migrations" SET "applied_steps_count" = "applied_steps_count" WHERE 1 = 0`,
    hot: new PostgresHotPath(connections, schema),
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
