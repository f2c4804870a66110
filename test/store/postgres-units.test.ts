import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { PrismaClient as PgPrismaClient } from "../../src/generated/prisma-pg/client.ts";
import { defendedClient } from "../../src/store/defended-client.ts";
import { migratePostgres } from "../../src/store/migrate-postgres.ts";
import { UnitConnections } from "../../src/store/postgres-units.ts";
import { TEST_PG_URL } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";

const cleanups = cleanupsAfterEach();

/** The store's Prisma client over a schema of its own, its units begun as openPostgresStore begins them. */
async function units() {
  const schema = `u_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await migratePostgres(admin, schema);
  await admin.end();
  const pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 4 });
  const connections = new UnitConnections(pool);
  const base = new PgPrismaClient({
    adapter: connections.adapter(new PrismaPg(pool, { schema })),
  }) as unknown as PrismaClient;
  await base.$connect();
  cleanups.push(async () => {
    await base.$disconnect();
    await pool.end();
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });
  return { base, ...defendedClient(base, { ownTransaction: () => connections.begin() }) };
}

const claim = (key: string) => ({ data: { key, at: new Date("2026-11-28T10:00:00Z") } });

/**
 * Issue 16: on PostgreSQL a unit of work is begun on a pool client of its own, not through Prisma's
 * interactive transaction; Prisma's queries made inside it must run in that transaction.
 */
describe("PostgreSQL units of work on a client of their own", () => {
  it("GIVEN Prisma writes inside a unit that fails THEN none is left; inside one that commits THEN all are", async () => {
    const { prisma, unit } = await units();
    await expect(
      unit.run(async () => {
        await prisma.processedRequest.create(claim("a"));
        await prisma.processedRequest.create(claim("b"));
        throw new Error("refused after its writes");
      }),
    ).rejects.toThrow("refused after its writes");
    expect(await prisma.processedRequest.count()).toBe(0);
    await unit.run(async () => {
      await prisma.processedRequest.create(claim("a"));
      // Read inside the unit: its own uncommitted write is seen (same transaction).
      expect(await prisma.processedRequest.count()).toBe(1);
    });
    expect(await prisma.processedRequest.count()).toBe(1);
  });

  it("GIVEN a Prisma transaction opened inside a unit THEN it is refused, and the unit leaves nothing", async () => {
    const { base, prisma, unit } = await units();
    await expect(
      unit.run(async () => {
        await prisma.processedRequest.create(claim("a"));
        // Prisma's own batch transaction would begin on another pool client: outside the unit.
        await base.$transaction([base.processedRequest.create(claim("b")), base.processedRequest.create(claim("c"))]);
      }),
    ).rejects.toThrow(/cannot open inside a unit of work/);
    expect(await prisma.processedRequest.count()).toBe(0);
  });
});
