import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { migrateSqlite, readMigrations } from "../../src/store/migrate-sqlite.ts";
import { openSqliteStore } from "../../src/store/database.ts";
import { tempDir } from "../helpers.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function freshDb() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, "relais.db");
}

describe("migrations", () => {
  it("GIVEN an empty file THEN every migration is applied once and recorded as prisma migrate deploy records it", async () => {
    const path = freshDb();
    const store = await openSqliteStore(`file:${path}`);
    await store.close();
    const db = new Database(path);
    const rows = db
      .prepare(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations`)
      .all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
      applied_steps_count: number;
    }[];
    const expected = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(expected.map((m) => m.checksum));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    // A second start applies nothing.
    expect(migrateSqlite(db)).toEqual([]);
    db.close();
  });

  it("GIVEN cards posted before the outbox held them THEN the migration records them as sent posts, so their edits and thread replies find them", async () => {
    const path = freshDb();
    const db = new Database(path);
    const all = readMigrations();
    const cards = all.findIndex((m) => m.name.endsWith("_cards_outbox"));
    migrateSqlite(db, all.slice(0, cards));
    // Only the card's row matters here: its ticket is left out.
    db.pragma("foreign_keys = OFF");
    db.prepare(`INSERT INTO "ChatThread" ("ticketId", "platform", "channel", "messageId") VALUES (?, ?, ?, ?)`).run(
      7,
      "slack",
      "C-HELP",
      "1700000000.000100",
    );
    db.close();
    const store = await openSqliteStore(`file:${path}`);
    expect(await store.threads.get(7, "slack")).toEqual({ channel: "C-HELP", messageId: "1700000000.000100" });
    expect(await store.outbox.state("T-7:card:slack")).toEqual({ status: "sent", messageId: "1700000000.000100" });
    expect(await store.outbox.countUnsent()).toBe(0);
    await store.close();
  });

  it("GIVEN a migration edited after it was applied THEN start-up refuses rather than drift", async () => {
    const path = freshDb();
    const db = new Database(path);
    const [first] = readMigrations();
    migrateSqlite(db, [first!]);
    expect(() => migrateSqlite(db, [{ ...first!, checksum: "0".repeat(64) }])).toThrow(
      /was changed after it was applied/,
    );
    db.close();
  });

  it("GIVEN a migration that fails halfway THEN nothing of it stays and it is not recorded", () => {
    const path = freshDb();
    const db = new Database(path);
    const broken = {
      name: "99990101000000_broken",
      sql: `CREATE TABLE "Half" ("id" INTEGER); CREATE TABLE oops (;`,
      checksum: "x",
    };
    expect(() => migrateSqlite(db, [broken])).toThrow();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as { name: string }[];
    expect(tables.map((t) => t.name)).not.toContain("Half");
    expect(db.prepare(`SELECT count(*) AS n FROM _prisma_migrations`).get()).toEqual({ n: 0 });
    db.close();
  });
});

/**
 * The hand-written SQL must create exactly what prisma/schema.prisma describes: same tables,
 * columns, types, nullability and indexes. (The schema engine that would diff them cannot be
 * downloaded here, so this reads the schema itself.)
 */
describe("schema.prisma and the SQL migrations", () => {
  const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map(([, name, body]) => ({
    name: name!,
    body: body!,
  }));
  const sqlType: Record<string, string> = {
    Int: "INTEGER",
    String: "TEXT",
    DateTime: "DATETIME",
    Boolean: "BOOLEAN",
    Float: "REAL",
  };

  it("GIVEN the migrated database THEN each model's scalar fields match its table's columns", () => {
    const path = freshDb();
    const db = new Database(path);
    migrateSqlite(db);
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) {
      const fields = m.body
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^\w+\s+\w+\??(\s|$)/.test(l) && !l.startsWith("@@"))
        .map((l) => l.split(/\s+/))
        .filter(([, type]) => sqlType[type!.replace("?", "")] !== undefined)
        .map(([name, type]) => ({
          name: name!,
          type: sqlType[type!.replace("?", "")]!,
          notnull: !type!.endsWith("?"),
        }));
      const columns = (
        db.pragma(`table_info("${m.name}")`) as { name: string; type: string; notnull: number; pk: number }[]
      ).map((c) => ({
        name: c.name,
        type: c.type,
        notnull: c.notnull === 1 || c.pk === 1,
      }));
      expect(columns, `table ${m.name}`).toEqual(fields);
      const indexes = [...m.body.matchAll(/@@(index|unique)\(\[([^\]]+)\]\)/g)].map(
        ([, kind, cols]) =>
          `${m.name}_${cols!
            .split(",")
            .map((c) => c.trim())
            .join("_")}_${kind === "index" ? "idx" : "key"}`,
      );
      // A field-level @unique is an index too.
      for (const line of m.body.split("\n")) {
        const f = /^\s*(\w+)\s+\w+\??\s.*@unique/.exec(line);
        if (f) indexes.push(`${m.name}_${f[1]}_key`);
      }
      const actual = (db.pragma(`index_list("${m.name}")`) as { name: string; origin: string }[])
        .filter((i) => i.origin === "c")
        .map((i) => i.name);
      expect(actual.sort(), `indexes of ${m.name}`).toEqual(indexes.sort());
    }
    db.close();
  });
});
