import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { freePort } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { declareOutage, received, relaisProcess, rendered, startDrill, stop, until } from "./drill.ts";

const cleanups = cleanupsAfterEach();

describe("a restart in the middle of an outage", () => {
  it("GIVEN Relais killed with SIGKILL between two updates THEN every affected channel receives every update exactly once, in order", {
    timeout: 240_000,
  }, async () => {
    const drill = await startDrill(cleanups, "xoxb-restart");
    const slack = drill.slack;
    const dbPath = join(drill.dir, "relais.db");
    const port = await freePort();
    const env = drill.env(port, `file:${dbPath}`);

    const first = await relaisProcess(env, cleanups);
    await declareOutage(slack, port);
    // Announcement and one timed update on each channel, then the crash.
    await until(
      () => received(slack, "C-A").length >= 2 && received(slack, "C-B").length >= 2,
      "two posts per channel",
    );
    await stop(first, "SIGKILL");
    const atCrash = received(slack, "C-A").length;
    await new Promise((r) => setTimeout(r, 3000)); // downtime: at least one update falls due meanwhile

    const second = await relaisProcess(env, cleanups);
    await until(
      () => received(slack, "C-A").length >= atCrash + 3 && received(slack, "C-B").length >= atCrash + 3,
      "updates after the restart",
    );
    expect(await stop(second, "SIGTERM")).toBe(0); // graceful: finishes in-flight posts, exits 0

    const db = new Database(dbPath, { readonly: true });
    const timed = (db.prepare(`SELECT kind FROM OutageEvent ORDER BY id`).all() as { kind: string }[]).filter(
      (e) => e.kind === "declared" || e.kind === "no_change",
    ).length;
    for (const channel of ["C-A", "C-B"]) {
      const sent = db
        .prepare(`SELECT key, payload FROM OutboxMessage WHERE channel = ? AND status = 'sent' ORDER BY id`)
        .all(channel) as { key: string; payload: string }[];
      const got = received(slack, channel);
      // Exactly once and in order: the channel received the recorded posts, no more, same sequence.
      expect(got).toEqual(rendered(sent.map((s) => s.payload)));
      expect(got[0]).toContain("INC-1 — Messagerie indisponible");
      for (const p of got.slice(1)) expect(p).toContain("Pas de changement depuis");
      // None lost: every announcement and promised update is sent or still queued.
      const unsent = db
        .prepare(`SELECT count(*) AS n FROM OutboxMessage WHERE channel = ? AND status != 'sent'`)
        .get(channel) as { n: number };
      expect(sent.length + unsent.n).toBe(timed);
    }
    db.close();
  });
});
