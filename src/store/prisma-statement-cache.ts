import type Database from "better-sqlite3";

/**
 * The connection as Prisma's SQLite adapter sees it, with its statements prepared once: the adapter
 * prepares every query it runs (`prepare(sql).bind(args)`, then `run()` or `raw().all()`), and
 * SQLite compiled the same few dozen texts again and again (a tenth of the work after a burst's
 * acks, issue 16). Kept: the last `max` texts, each bound anew at every run instead of once.
 */
export function withCachedStatements(db: Database.Database, max = 256): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    const hit = cache.get(sql);
    if (hit) {
      // Most recently used last: the first is the one dropped when the cache is full.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = db.prepare(sql);
    cache.set(sql, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  const view = {
    prepare: (sql: string) => {
      const stmt = prepared(sql);
      return {
        bind: (args: unknown[]) => ({
          reader: stmt.reader,
          run: () => stmt.run(args),
          columns: () => stmt.columns(),
          raw: () => ({ all: () => stmt.raw(true).all(args) }),
        }),
        run: () => stmt.run(),
      };
    },
    exec: (sql: string) => db.exec(sql),
    close: () => db.close(),
  };
  return view as unknown as Database.Database;
}
