import { randomUUID } from "node:crypto";
import type pg from "pg";
import { projectPath } from "../paths.ts";
import { readMigrations, type Migration } from "./migrate-sqlite.ts";

/**
 * PostgreSQL's migrations (prisma/postgresql/migrations), applied at start-up and recorded in
 * `_prisma_migrations` as `prisma migrate deploy` does. An advisory lock makes replicas that start
 * together apply them once.
 */
export const PG_MIGRATIONS_DIR = projectPath("prisma/postgresql/migrations/");

/** The advisory lock that serialises replicas' start-ups (re-entrant within one session). */
export const MIGRATION_LOCK = 7_272_024;

export async function migratePostgres(
  client: pg.Client,
  schema: string,
  migrations: Migration[] = readMigrations(PG_MIGRATIONS_DIR),
): Promise<string[]> {
  // The lock comes first: even CREATE SCHEMA IF NOT EXISTS races between replicas.
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const known = applied.get(m.name);
      if (known !== undefined) {
        if (known !== m.checksum)
          throw new Error(
            `Migration ${m.name} was changed after it was applied to this database; add a new migration instead of editing it.`,
          );
        continue;
      }
      await client.query("BEGIN");
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), m.checksum, m.name, started],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
  }
}
