import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { alice } from "../support/fixtures.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);

describe("a command interrupted halfway", () => {
  it("GIVEN the process is killed inside the write THEN the ticket and its timeline are as before", async () => {
    const r = await start();
    const t = await r.relais.services.tickets.create(alice, { title: "Messagerie inaccessible" });
    const before = await r.relais.store.tickets.get(t.id);
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", new URL("./crash-child.ts", import.meta.url).pathname, r.dbPath],
      {
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(child.signal).toBe("SIGKILL");
    expect(child.stdout).not.toContain("survived");
    const after = await r.relais.store.tickets.get(t.id);
    expect(after?.title).toBe("Messagerie inaccessible");
    expect(after?.status).toBe("new");
    expect(after?.updatedAt.toMillis()).toBe(before?.updatedAt.toMillis());
    expect((await r.relais.store.tickets.timeline(t.id)).map((e) => e.kind)).toEqual(["created"]);
  });

  it("GIVEN Relais killed holding a post and a job (leased for a minute) THEN, restarted on the SQLite file, it takes both at its first pass", async () => {
    let r = await start();
    const { outbox, jobs } = r.relais.store;
    const now = r.clock.now();
    await outbox.enqueue(
      { platform: "slack", channel: "C-A", key: "p1", reply: { blocks: [], ephemeral: false } },
      now,
    );
    await outbox.enqueue(
      { platform: "slack", channel: "C-A", key: "p2", reply: { blocks: [], ephemeral: false } },
      now,
    );
    await jobs.schedule({ key: "j1", kind: "k", dueAt: now, payload: {} }, now);
    // The dead process's claims, as a SIGKILL mid-pass leaves them.
    expect((await outbox.claimHeads(now, "dead", 60_000, 10)).map((m) => m.key)).toEqual(["p1"]);
    expect((await jobs.claimDue(now, "dead", 60_000, 10)).map((j) => j.key)).toEqual(["j1"]);
    r = await r.restart();
    const restarted = r;
    cleanups.push(() => restarted.close());
    const later = now.plus({ seconds: 1 });
    const heads = await r.relais.store.outbox.claimHeads(later, "alive", 60_000, 10);
    // Second attempt: the dispatcher looks on the platform for p1 before sending it again.
    expect(heads.map((m) => [m.key, m.attempts])).toEqual([["p1", 2]]);
    expect((await r.relais.store.jobs.claimDue(later, "alive", 60_000, 10)).map((j) => j.key)).toEqual(["j1"]);
  });

  it("GIVEN the event cannot be written THEN the ticket change is rolled back and the error surfaces", async () => {
    const r = await start();
    const t = await r.relais.services.tickets.create(alice, { title: "VPN coupé" });
    const bad = {
      at: r.clock.now(),
      actor: alice,
      kind: "updated" as const,
      data: {
        get boom(): number {
          throw new Error("disk full");
        },
      },
    };
    await expect(
      r.relais.store.tickets.update(t.id, { title: "changed", updatedAt: r.clock.now() }, bad),
    ).rejects.toThrow("disk full");
    expect((await r.relais.store.tickets.get(t.id))?.title).toBe("VPN coupé");
    expect(await r.relais.store.tickets.timeline(t.id)).toHaveLength(1);
  });
});
