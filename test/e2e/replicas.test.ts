import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { freePort, TEST_PG_URL } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { declareOutage, received, relaisProcess, rendered, startDrill, stop, until } from "./drill.ts";

const cleanups = cleanupsAfterEach();

describe("two replicas on one PostgreSQL", () => {
  it("GIVEN one replica killed with SIGKILL mid-outage THEN the other takes its work over and every channel gets every update exactly once, in order", {
    timeout: 240_000,
  }, async () => {
    const drill = await startDrill(cleanups, "xoxb-replicas");
    const slack = drill.slack;
    const schema = `r_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    });
    const env = (port: number) => ({
      ...drill.env(port, `${TEST_PG_URL}?schema=${schema}`),
      RELAIS_LEASE_MS: "1500",
    });
    const portA = await freePort();
    const a = await relaisProcess(env(portA), cleanups);
    const b = await relaisProcess(env(await freePort()), cleanups);
    await declareOutage(slack, portA);
    await until(
      () => received(slack, "C-A").length >= 3 && received(slack, "C-B").length >= 3,
      "updates from both replicas",
    );
    await stop(a, "SIGKILL");
    const atKill = received(slack, "C-A").length;
    await until(
      () => received(slack, "C-A").length >= atKill + 3 && received(slack, "C-B").length >= atKill + 3,
      "the survivor carrying on",
    );
    // SIGTERM: stops taking work, finishes in-flight posts, exits 0.
    expect(await stop(b, "SIGTERM")).toBe(0);

    await admin.query(`SET search_path TO "${schema}"`);
    const events = (await admin.query<{ kind: string }>(`SELECT kind FROM "OutageEvent" ORDER BY id`)).rows;
    const timed = events.filter((e) => e.kind === "declared" || e.kind === "no_change").length;
    for (const channel of ["C-A", "C-B"]) {
      const sent = (
        await admin.query<{ payload: string }>(
          `SELECT payload FROM "OutboxMessage" WHERE channel = $1 AND status = 'sent' ORDER BY id`,
          [channel],
        )
      ).rows;
      expect(received(slack, channel)).toEqual(rendered(sent.map((s) => s.payload)));
      const unsent = (
        await admin.query<{ n: string }>(
          `SELECT count(*) AS n FROM "OutboxMessage" WHERE channel = $1 AND status != 'sent'`,
          [channel],
        )
      ).rows[0]!;
      expect(sent.length + Number(unsent.n)).toBe(timed);
    }
  });
});
