import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { withCachedStatements } from "../../src/store/prisma-statement-cache.ts";

/** The connection Prisma's SQLite adapter is given: its statements prepared once, bound at each run. */
function counted() {
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)`);
  const real = db.prepare.bind(db);
  const prepared: string[] = [];
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    return real(sql);
  }) as typeof db.prepare;
  return { db, prepared, view: withCachedStatements(db, 4) };
}

// As @prisma/adapter-better-sqlite3 runs a query: prepare(sql).bind(args), then run() or raw().all().
const write = (view: Database.Database, sql: string, args: unknown[]) => view.prepare(sql).bind(args).run();
const read = (view: Database.Database, sql: string, args: unknown[]) => view.prepare(sql).bind(args).raw().all();

describe("the statements of Prisma's SQLite adapter (issue 16)", () => {
  it("GIVEN the same text run with other values THEN it is prepared once and each run reads its own values", () => {
    const { view, prepared } = counted();
    for (const name of ["alice", "bob", "carol"]) write(view, "INSERT INTO t (name) VALUES (?)", [name]);
    expect(read(view, "SELECT name FROM t WHERE id = ?", [2])).toEqual([["bob"]]);
    expect(read(view, "SELECT name FROM t WHERE id = ?", [3])).toEqual([["carol"]]);
    expect(read(view, "SELECT name FROM t WHERE id > ? ORDER BY id", [0])).toEqual([["alice"], ["bob"], ["carol"]]);
    expect(prepared).toEqual([
      "INSERT INTO t (name) VALUES (?)",
      "SELECT name FROM t WHERE id = ?",
      "SELECT name FROM t WHERE id > ? ORDER BY id",
    ]);
  });

  it("GIVEN more texts than it keeps THEN the least recently used is dropped, and prepared again when asked", () => {
    const { view, prepared } = counted();
    const texts = [1, 2, 3, 4, 5].map((n) => `SELECT ${n} AS n WHERE ? = ?`);
    for (const sql of texts.slice(0, 4)) read(view, sql, [1, 1]);
    read(view, texts[0]!, [1, 1]); // used again: the 2nd is now the oldest
    read(view, texts[4]!, [1, 1]); // a fifth: the 2nd goes
    read(view, texts[0]!, [1, 1]);
    read(view, texts[1]!, [1, 1]);
    expect(prepared).toEqual([...texts.slice(0, 4), texts[4], texts[1]]);
  });

  it("GIVEN a statement that fails THEN the error is SQLite's, and the next run of it works", () => {
    const { view } = counted();
    write(view, "INSERT INTO t (id, name) VALUES (?, ?)", [1, "alice"]);
    expect(() => write(view, "INSERT INTO t (id, name) VALUES (?, ?)", [1, "bob"])).toThrow(/UNIQUE/);
    write(view, "INSERT INTO t (id, name) VALUES (?, ?)", [2, "bob"]);
    expect(read(view, "SELECT count(*) FROM t WHERE ? = ?", [1, 1])).toEqual([[2]]);
  });
});
