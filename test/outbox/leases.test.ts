import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { reply } from "../../src/reply.ts";

const cleanups = cleanupsAfterEach();
const start = relaisPerTest(cleanups);
const LEASE_MS = 60_000;

/**
 * A post is sent by one worker at a time: its claim holds for a lease (a replica that died holding
 * it gives it up when the lease ends), and only the worker holding it marks it sent. On SQLite the
 * claim and the mark are prepared statements, on PostgreSQL Prisma's queries: the same rules.
 */
describe("the outbox's claims and leases", () => {
  it("GIVEN a post claimed by one worker THEN no other takes it until its lease ends, and only the holder marks it sent", async () => {
    const r = await start();
    const outbox = r.relais.store.outbox;
    const t0 = r.clock.now();
    await outbox.enqueue({ platform: "slack", channel: "C1", key: "post-1", reply: reply.public([]) }, t0);

    const [first] = await outbox.claimHeads(t0, "worker-a", LEASE_MS, 10);
    expect(first).toMatchObject({ key: "post-1", attempts: 1 });
    expect(await outbox.claimHeads(t0.plus({ seconds: 59 }), "worker-b", LEASE_MS, 10)).toEqual([]);

    // Worker A died holding it: once the lease has ended, B takes it, a second attempt.
    const [again] = await outbox.claimHeads(t0.plus({ seconds: 61 }), "worker-b", LEASE_MS, 10);
    expect(again).toMatchObject({ key: "post-1", attempts: 2 });

    // A, back late, cannot mark what B now holds; B can.
    await outbox.markSent(first!.id, "worker-a", t0.plus({ seconds: 62 }), "ts-a");
    expect(await outbox.countUnsent()).toBe(1);
    await outbox.markSent(again!.id, "worker-b", t0.plus({ seconds: 62 }), "ts-b");
    expect(await outbox.countUnsent()).toBe(0);
    expect(await outbox.claimHeads(t0.plus({ minutes: 5 }), "worker-c", LEASE_MS, 10)).toEqual([]);
  });

  it("GIVEN two workers looking for posts at the same moment THEN each post is claimed by one of them", async () => {
    const r = await start();
    const outbox = r.relais.store.outbox;
    const t0 = r.clock.now();
    for (const channel of ["C1", "C2", "C3"])
      await outbox.enqueue({ platform: "slack", channel, key: `post-${channel}`, reply: reply.public([]) }, t0);
    const [a, b] = await Promise.all([
      outbox.claimHeads(t0, "worker-a", LEASE_MS, 10),
      outbox.claimHeads(t0, "worker-b", LEASE_MS, 10),
    ]);
    const keys = [...a!, ...b!].map((m) => m.key).sort();
    expect(keys).toEqual(["post-C1", "post-C2", "post-C3"]);
  });

  it("GIVEN posts pending in several channels of both platforms THEN a pass claims each channel's oldest, the oldest heads first, up to the limit", async () => {
    const r = await start();
    const outbox = r.relais.store.outbox;
    const t0 = r.clock.now();
    // Arrival order; names chosen so that channel order and arrival order differ.
    const posts: [string, string][] = [
      ["slack", "C9"],
      ["discord", "D2"],
      ["slack", "C1"],
      ["slack", "C9"],
      ["discord", "D1"],
      ["slack", "C1"],
      ["slack", "C5"],
      ["discord", "D2"],
    ];
    for (const [i, [platform, channel]] of posts.entries())
      await outbox.enqueue({ platform, channel, key: `post-${i}-${platform}-${channel}`, reply: reply.public([]) }, t0);
    // One already sent in a channel: its next post is that channel's head.
    const [sent] = await outbox.claimHeads(t0, "worker-a", LEASE_MS, 1);
    expect(sent!.key).toBe("post-0-slack-C9");
    await outbox.markSent(sent!.id, "worker-a", t0, "m-0");

    const three = await outbox.claimHeads(t0, "worker-b", LEASE_MS, 3);
    expect(three.map((m) => m.key)).toEqual(["post-1-discord-D2", "post-2-slack-C1", "post-3-slack-C9"]);
    const rest = await outbox.claimHeads(t0, "worker-b", LEASE_MS, 10);
    expect(rest.map((m) => m.key)).toEqual(["post-4-discord-D1", "post-6-slack-C5"]);
  });
});
