import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);

/** The claims behind "every inbound request once" (src/store/chat-repositories.ts), on a real store. */
describe("request claims", () => {
  it("GIVEN a key claimed THEN it is refused again, by a restarted Relais too, and two claims at once give one winner", async () => {
    let r = await start();
    const at = r.clock.now();
    expect(await r.relais.store.requests.claim("k", at)).toBe(true);
    expect(await r.relais.store.requests.claim("k", at.plus({ hours: 2 }))).toBe(false);
    r = await r.restart();
    const restarted = r;
    cleanups.push(() => restarted.close());
    expect(await r.relais.store.requests.claim("k", at.plus({ hours: 3 }))).toBe(false);
    const both = await Promise.all([r.relais.store.requests.claim("j", at), r.relais.store.requests.claim("j", at)]);
    expect(both.sort()).toEqual([false, true]);
  });

  it("GIVEN a claim for a few seconds (a click) THEN it is refused within them, free after, and two at once give one winner", async () => {
    const r = await start();
    const { requests } = r.relais.store;
    const at = r.clock.now();
    const within = { seconds: 5 };
    expect(await requests.claim("click", at, within)).toBe(true);
    expect(await requests.claim("click", at.plus({ seconds: 4 }), within)).toBe(false);
    expect(await requests.claim("click", at.plus({ seconds: 5 }), within)).toBe(true);
    // The window counts from the last claim that went through.
    expect(await requests.claim("click", at.plus({ seconds: 9 }), within)).toBe(false);
    const later = at.plus({ minutes: 1 });
    const both = await Promise.all([requests.claim("click", later, within), requests.claim("click", later, within)]);
    expect(both.sort()).toEqual([false, true]);
  });

  it("GIVEN claims over a day old THEN a later claim purges them: the table does not grow forever", async () => {
    const r = await start();
    const { requests } = r.relais.store;
    const at = r.clock.now();
    expect(await requests.claim("old", at)).toBe(true);
    expect(await requests.claim("recent", at.plus({ hours: 20 }))).toBe(true);
    await requests.claim("tomorrow", at.plus({ days: 1, minutes: 11 }));
    // Purged, so claimable again; the recent one is kept.
    expect(await requests.claim("old", at.plus({ days: 1, minutes: 12 }))).toBe(true);
    expect(await requests.claim("recent", at.plus({ days: 1, minutes: 12 }))).toBe(false);
  });
});
