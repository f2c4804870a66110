import type { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { paris } from "../../support/fixtures.ts";
import { MAIL_OUTAGE, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

/**
 * Issue 14, "transient is never final": a Slack storm (429 with Retry-After for 15 minutes, then
 * 500s for 15 minutes) around a P1 outage's 11:00 update, through the real SlackSender and the
 * outbox, on an injected clock. Every channel gets every update exactly once, the late one after
 * the storm; a channel the bot is not in is told to the owner privately and holds nobody else.
 */
let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

const OWNER_DM = "U-ALICE";
const STORM_429 = [paris("2026-11-24T10:50"), paris("2026-11-24T11:05")] as const;
const STORM_500 = [paris("2026-11-24T11:05"), paris("2026-11-24T11:20")] as const;
const within = (t: DateTime, [a, b]: readonly [DateTime, DateTime]) => t >= a && t < b;

describe("a Slack storm around a promised update", () => {
  it("GIVEN 429s then 500s for 30 minutes around 11:00 THEN each channel gets each update once, the late one after the storm; a channel without the bot is told to the owner", async () => {
    h.slack.failWhen("chat.postMessage", (call) => {
      if (call.body.channel === "C-GONE") return { status: 200, body: { ok: false, error: "not_in_channel" } };
      const now = h.r.clock.now();
      if (within(now, STORM_429))
        return { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "10" } };
      if (within(now, STORM_500)) return { status: 500, body: { ok: false, error: "internal_error" } };
      return undefined;
    });
    // When Relais looks for an earlier copy of a post before retrying it (it never needs to after a 429).
    const lookups: DateTime[] = [];
    h.slack.failWhen("conversations.history", () => void lookups.push(h.r.clock.now()));
    await h.command("declare", {}, "/outage");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "declaration form");
    const view = h.slack.of("views.open")[0]!.body.view as { private_metadata: string; callback_id: string };
    await h.interact(
      viewSubmission(view, { ...MAIL_OUTAGE, workaroundText: "Webmail", channels: "conversations:C-A,C-B,C-GONE" }),
    );
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.postMessage" && x.body.channel === "C-HELP"),
      "declared reply",
    );
    await h.r.relais.store.unit.settled(); // the incident room, opened after the declaration's commit
    await h.dispatcher.flush();

    // The permanent refusal reaches the owner at once, and does not hold the other channels.
    expect(texts("C-A")).toHaveLength(1);
    expect(texts("C-B")).toHaveLength(1);
    expect(texts("C-GONE")).toHaveLength(0);
    const refused = texts(OWNER_DM).filter((t) => t.includes("<#C-GONE>"));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain("INC-1");
    expect(refused[0]).toContain("not_in_channel");
    expect(refused[0]).toContain("Invitez Relais dans ce canal");

    // A step a minute before the storm, one every 10 seconds (the Retry-After) in it; the scheduler and the outbox at each step.
    const walk = async (from: string, to: string, seconds = 10) => {
      for (let t = paris(from); t <= paris(to); t = t.plus({ seconds })) {
        h.r.clock.set(t);
        await h.r.relais.scheduler.tick();
        await h.dispatcher.flush();
      }
    };
    await walk("2026-11-24T10:01", "2026-11-24T10:49", 60);
    await walk("2026-11-24T10:50", "2026-11-24T11:19:50");
    // Rate-limited retries do not look for an earlier copy; retries after a 500 do (Slack may have posted it).
    expect(lookups.filter((t) => within(t, STORM_429))).toEqual([]);
    expect(lookups.filter((t) => within(t, STORM_500)).length).toBeGreaterThan(0);
    // The 11:00 update has not gone out during the storm: the owner was told it is late (still retrying).
    for (const ch of ["C-A", "C-B"]) expect(texts(ch)).toHaveLength(1);
    expect(await h.r.relais.store.outbox.countUnsent()).toBeGreaterThan(0);

    await walk("2026-11-24T11:20", "2026-11-24T11:25");
    for (const ch of ["C-A", "C-B"]) {
      const got = texts(ch);
      expect(got).toHaveLength(2);
      expect(got[0]).toContain("INC-1");
      expect(got[1]).toContain("INC-1");
      expect(got[1]).not.toBe(got[0]);
    }
    expect(await h.r.relais.store.outbox.countUnsent()).toBe(0);
    const late = texts(OWNER_DM).filter((t) => t.startsWith("⏳"));
    // One per channel that waited past the policy's 10 minutes: C-A, C-B and the incident room.
    const room = h.slack.of("pins.add")[0]!.body.channel as string;
    expect(late.map((t) => t.match(/#(C-[\w-]+)/)?.[1]).sort()).toEqual(["C-A", "C-B", room].sort());
    expect(texts(room).filter((t) => t === texts("C-A")[1])).toHaveLength(1);
    expect(late[0]).toContain("Relais réessaie");
    // Nothing more goes out once the storm is over and every post is sent.
    const total = h.slack.posted.length;
    await walk("2026-11-24T11:25:10", "2026-11-24T11:26");
    expect(h.slack.posted.length).toBe(total);

    // `/outage list` shows the channel that never got its posts, with what to do.
    await h.command("list", {}, "/outage");
    await h.slack.waitFor((c) => c.some((x) => x.method === "response/cmd2"), "list answer");
    const list = JSON.stringify(h.slack.of("response/cmd2")[0]!.body);
    expect(list).toContain("INC-1");
    expect(list).toContain("non publié dans <#C-GONE>");
    expect(list).not.toContain("#C-A");
  });
});

/** The texts of the posts a channel really received (the fake stores a post only when it answered ok), in order. */
function texts(channel: string): string[] {
  return h.slack.posted.filter((p) => p.channel === channel).map((p) => p.text ?? "");
}
