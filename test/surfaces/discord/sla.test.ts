import { afterEach, describe, expect, it } from "vitest";
import { dmChannelOf } from "../../support/discord-api.ts";
import { chatInput } from "../../support/discord-gateway.ts";
import { variant } from "../../support/fixtures.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

let h: DiscordHarness;
afterEach(() => h.close());

describe("Discord: /sla", () => {
  it("GIVEN holidays generated for FR and a person whose Discord is in English THEN the next holidays are listed in order, in English, privately", async () => {
    h = await startDiscordHarness({ policy: variant({ holidays: { country: "FR" } }) }); // Tuesday 24 November 2026
    h.feed(chatInput("sla", "show", {}, { locale: "en-GB" }));
    await h.discord.waitFor(() => h.edits().length === 1, "the edited reply");
    expect(h.callbacks()[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    const seen = h.edits()[0]!;
    const days = [
      "Next holidays (FR):",
      "Fri 25 Dec 2026 · Christmas Day",
      "Fri 1 Jan 2027 · New Year's Day",
      "Mon 29 Mar 2027 · Easter Monday",
      "Sat 1 May 2027 · Labour Day",
      "Thu 6 May 2027 · Ascension Day",
      "Sat 8 May 2027 · Victory Day",
    ];
    const at = days.map((d) => seen.indexOf(d));
    expect(
      at.every((i) => i >= 0),
      seen,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("GIVEN /sla report asked on Discord THEN the answer is private and its CSV comes attached to a private message", async () => {
    h = await startDiscordHarness();
    h.feed(chatInput("sla", "report", { filter: "week" }, { locale: "en-GB" }));
    await h.discord.waitFor(() => h.edits().length === 1, "the edited reply");
    expect(h.callbacks()[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(h.edits()[0]).toContain("The CSV (sla-2026-11-23_2026-11-24.csv) is sent to you in a private message.");
    await h.dispatcher.flush();
    const dm = dmChannelOf("300000000000000001");
    const [post, ...more] = h.discord.of("POST", /^\/channels\/\d+\/messages$/);
    expect(more).toHaveLength(0);
    expect(post!.path).toBe(`/channels/${dm}/messages`);
    expect(post!.body).toMatchObject({ attachments: [{ id: 0, filename: "sla-2026-11-23_2026-11-24.csv" }] });
    expect(post!.raw).toContain("scope,group,opened,resolved");
  });
});
