import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { DatabaseMissingError, openStore } from "../../src/store/database.ts";
import { TEST_PG_URL } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";

const cleanups = cleanupsAfterEach();

/** A schema name of this test's own, dropped afterwards. */
function ownSchema(): string {
  const schema = `s_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });
  return schema;
}

describe("PostgreSQL at start", () => {
  it("GIVEN two replicas starting together on an empty schema THEN exactly one says it created the database", async () => {
    const url = `${TEST_PG_URL}?schema=${ownSchema()}`;
    const stores = await Promise.all([openStore(url), openStore(url)]);
    for (const s of stores) cleanups.push(() => s.close());
    expect(stores.map((s) => s.created).sort()).toEqual([false, true]);
    const again = await openStore(url, { expectExisting: true });
    cleanups.push(() => again.close());
    expect(again.created).toBe(false);
  });

  it("GIVEN RELAIS_EXPECT_DATABASE and an empty schema THEN the store refuses to open, naming the URL with no password", async () => {
    const url = new URL(TEST_PG_URL);
    url.password = "s3cret-pw";
    url.searchParams.set("schema", ownSchema());
    const refused = await openStore(url.toString(), { expectExisting: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseMissingError);
    expect((refused as DatabaseMissingError).location).toContain(":***@");
    expect((refused as Error).message).not.toContain("s3cret-pw");
  });
});
