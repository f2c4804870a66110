import { DEFAULT_DATABASE_URL, type OpenOptions, type Store } from "./store.ts";

// The store's shape and what the openers share, where the rest of Relais has always found them.
export type { DatabaseProbe, OpenOptions, Store } from "./store.ts";
export { DatabaseMissingError, DEFAULT_DATABASE_URL, maskUrl, sqlitePath } from "./store.ts";

/** Opens the store named by DATABASE_URL: PostgreSQL for `postgres(ql)://…`, SQLite otherwise. */
export function openStore(url = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Promise<Store> {
  return /^postgres(ql)?:\/\//.test(url) ? openPostgresStore(url, opts) : openSqliteStore(url, opts);
}

// Each provider's engine (its Prisma client, driver and adapter) is loaded only when opened: a
// SQLite start never loads pg, a PostgreSQL one never builds better-sqlite3's bindings (issue 16).

/** See src/store/sqlite-store.ts. */
export async function openSqliteStore(url = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Promise<Store> {
  return (await import("./sqlite-store.ts")).openSqliteStore(url, opts);
}

/** See src/store/postgres-store.ts. */
export async function openPostgresStore(url: string, opts: OpenOptions = {}): Promise<Store> {
  return (await import("./postgres-store.ts")).openPostgresStore(url, opts);
}
