import { afterEach, describe, expect, it } from "vitest";
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
});
