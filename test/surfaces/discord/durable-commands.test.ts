import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OPEN_STATUSES } from "../../../src/tickets/model.ts";
import { dmChannelOf } from "../../support/discord-api.ts";
import { CHANNEL, startDiscordHarness, type DiscordHarness } from "./harness.ts";

/**
 * Issue 14, "durable commands", on Discord: a command deferred by a replica that died before doing
 * it is done by another when its lease ends, once, and the person hears of it in their direct
 * messages (the deferred answer they saw belonged to the dead replica's interaction).
 */
let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

const USER = "300000000000000001";

describe("a Discord command deferred by a replica that died before doing it", () => {
  it("GIVEN /ticket new recorded and never done THEN the next recovery pass after the lease creates it once and tells the person privately", async () => {
    const { commands } = h.r.relais.store;
    const now = h.r.clock.now();
    // What the dying replica recorded before deferring (src/kit/pipeline.ts `record`).
    await commands.record(
      {
        platform: "discord",
        command: "ticket",
        sub: "new",
        given: { title: "VPN coupé au siège" },
        actor: { id: `discord:${USER}`, name: "Alice" },
        lang: "en",
        channel: CHANNEL,
        receivedAt: now,
      },
      "dead-replica",
      now.plus({ seconds: 60 }),
    );
    expect(await h.surface.recovery.recover()).toBe(0); // its replica's lease still runs
    h.r.clock.set(now.plus({ seconds: 61 }));
    expect(await h.surface.recovery.recover()).toBe(1);
    expect(await h.surface.recovery.recover()).toBe(0);
    expect(await h.r.relais.store.tickets.count({ statuses: OPEN_STATUSES })).toBe(1);
    await h.dispatcher.flush();
    const dm = h.channelPosts(dmChannelOf(USER)).map((p) => JSON.stringify(p));
    expect(dm).toHaveLength(1);
    expect(dm[0]).toContain("Your command /ticket new was done after Relais restarted");
    expect(dm[0]).toContain("T-1");
  });
});
