import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.ts";
import { alice } from "../../support/fixtures.ts";
import { sendToBot, slashCommand } from "../../support/fake-slack.ts";
import { SECRET, type SlackHarness, startSlackHarness } from "./harness.ts";

/**
 * Slack's guidance: a signed request whose timestamp is more than five minutes from now, before or
 * after, is refused (Bolt refuses only the past). Checked against the clock Relais is given.
 */
const clock = new ManualClock(DateTime.fromISO("2026-11-24T09:00:00Z"));
const NOW = Math.floor(clock.now().toSeconds());

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness({ clock });
});
afterEach(() => h.close());

const ticketCount = async () => (await h.r.relais.services.tickets.list(alice, "all")).total;
const send = (skewSeconds: number, text = "Imprimante bloquée") =>
  sendToBot(h.url, slashCommand(h.slack, "/ticket", text, { trigger_id: `t${skewSeconds}` }), {
    secret: SECRET,
    timestamp: NOW + skewSeconds,
  });

describe("Slack: signed timestamps within five minutes of now", () => {
  it.each([
    ["301 s in the past", -301],
    ["301 s in the future", 301],
    ["a day in the future", 86_400],
  ])("GIVEN a request signed %s THEN 401 and nothing is created", async (_what, skew) => {
    const res = await send(skew);
    expect(res.status).toBe(401);
    await h.surface.idle();
    expect(await ticketCount()).toBe(0);
    expect(h.slack.calls).toHaveLength(0);
  });

  it("GIVEN requests signed 299 s in the past and 299 s in the future THEN both are handled", async () => {
    expect((await send(-299, "Imprimante bloquée")).status).toBe(200);
    expect((await send(299, "VPN coupé")).status).toBe(200);
    await h.surface.idle();
    expect(await ticketCount()).toBe(2);
  });

  it("GIVEN an unsigned SSL check with a command smuggled along THEN Slack's check is answered and nothing runs", async () => {
    const smuggled = JSON.stringify(slashCommand(h.slack, "/ticket", "Imprimante bloquée"));
    const form = { ssl_check: "1", payload: smuggled };
    const res = await sendToBot(h.url, form, { secret: SECRET, signature: null });
    expect(res.status).toBe(200);
    await h.surface.idle();
    expect(await ticketCount()).toBe(0);
    expect(h.slack.calls).toHaveLength(0);
  });
});
