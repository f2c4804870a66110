import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { alice } from "../support/fixtures.ts";

const start = relaisPerTest();

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
