import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migratePostgres, PG_MIGRATIONS_DIR } from "../../src/store/migrate-postgres.ts";
import { readMigrations } from "../../src/store/migrate-sqlite.ts";
import { TEST_PG_URL } from "../helpers.ts";

const body = (path: string) =>
  readFileSync(new URL(path, import.meta.url), "utf8").replace(/^[\s\S]*?(?=^model )/m, "");

describe("the PostgreSQL schema and migrations", () => {
  it("GIVEN both schema files THEN their models are identical (only the provider differs)", () => {
    expect(body("../../prisma/postgresql/schema.prisma")).toBe(body("../../prisma/schema.prisma"));
  });

  it("GIVEN an empty schema THEN the migrations create every model's columns with their types and nullability, once, under concurrent starts", async () => {
    const schema = `m_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const clients = [
      new pg.Client({ connectionString: TEST_PG_URL }),
      new pg.Client({ connectionString: TEST_PG_URL }),
    ];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      // Two replicas starting at once: the advisory lock lets one apply, the other finds it done.
      const applied = await Promise.all(clients.map((c) => migratePostgres(c, schema)));
      expect(applied.flat().sort()).toEqual(readMigrations(PG_MIGRATIONS_DIR).map((m) => m.name));
      const models = [...body("../../prisma/schema.prisma").matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
      const pgType: Record<string, string> = {
        Int: "integer",
        String: "text",
        DateTime: "timestamp without time zone",
      };
      for (const [, name, fields] of models) {
        const expected = fields!
          .split("\n")
          .map((l) => l.trim().split(/\s+/))
          .filter(([, type]) => type && pgType[type.replace("?", "")])
          .map(([col, type]) => `${col}:${pgType[type!.replace("?", "")]}:${type!.endsWith("?") ? "YES" : "NO"}`)
          .sort();
        const { rows } = await clients[0]!.query<{ column_name: string; data_type: string; is_nullable: string }>(
          "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
          [schema, name],
        );
        expect(rows.map((r) => `${r.column_name}:${r.data_type}:${r.is_nullable}`).sort(), name).toEqual(expected);
      }
    } finally {
      await clients[0]!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("GIVEN cards posted before the outbox held them THEN the migration records them as sent outbox posts", async () => {
    const schema = `m_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      const all = readMigrations(PG_MIGRATIONS_DIR);
      const cards = all.findIndex((m) => m.name.endsWith("_cards_outbox"));
      await migratePostgres(client, schema, all.slice(0, cards));
      // Only the card's row matters here: its ticket is left out (foreign keys off for this insert).
      await client.query("SET session_replication_role = replica");
      await client.query(
        `INSERT INTO "ChatThread" ("ticketId", "platform", "channel", "messageId") VALUES (7, 'discord', '200', '900')`,
      );
      await client.query("SET session_replication_role = DEFAULT");
      await migratePostgres(client, schema);
      const { rows } = await client.query(
        `SELECT "key", "platform", "channel", "status", "messageId" FROM "OutboxMessage"`,
      );
      expect(rows).toEqual([
        { key: "T-7:card:discord", platform: "discord", channel: "200", status: "sent", messageId: "900" },
      ]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
