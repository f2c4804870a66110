import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { alice } from "../support/fixtures.ts";

const start = relaisPerTest();

describe("concurrent commands on one ticket", () => {
  it("GIVEN the same take twice at once (a double click) THEN one take is recorded and the other is told it already owns it", async () => {
    const r = await start();
    const t = await r.relais.services.tickets.create(alice, { title: "Messagerie inaccessible" });
    // Alice opened it: her take is the first response (someone else's would be a handover request).
    const results = await Promise.allSettled([
      r.relais.services.tickets.take(alice, t.id),
      r.relais.services.tickets.take(alice, t.id),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    expect(results.find((x) => x.status === "rejected")).toMatchObject({ reason: { code: "already_owner" } });
    const timeline = await r.relais.services.tickets.timeline(t.id);
    expect(timeline.filter((e) => e.kind === "taken")).toHaveLength(1);
  });

  it("GIVEN two resolutions at once THEN one wins and the other is refused against the state actually written", async () => {
    const r = await start();
    const t = await r.relais.services.tickets.create(alice, { title: "VPN coupé" });
    const results = await Promise.allSettled([
      r.relais.services.tickets.resolve(alice, t.id, { kind: "fixed", note: "A" }),
      r.relais.services.tickets.resolve(alice, t.id, { kind: "fixed", note: "B" }),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    expect(results.find((x) => x.status === "rejected")).toMatchObject({ reason: { code: "illegal_transition" } });
    const after = await r.relais.services.tickets.get(t.id);
    expect(after.version).toBe(1);
    expect((await r.relais.services.tickets.timeline(t.id)).map((e) => e.kind)).toEqual(["created", "resolved"]);
  });

  it("GIVEN a write against an outdated version THEN the store refuses it and changes nothing", async () => {
    const r = await start();
    const t = await r.relais.services.tickets.create(alice, { title: "Imprimante" });
    await r.relais.services.tickets.take(alice, t.id);
    await expect(
      r.relais.store.tickets.update(t.id, { title: "écrasé" }, { at: r.clock.now(), actor: alice, kind: "updated" }, 0),
    ).rejects.toMatchObject({ name: "StaleWriteError", kind: "ticket", id: t.id });
    expect((await r.relais.services.tickets.get(t.id)).title).toBe("Imprimante");
  });
});
