import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { Param } from "../../src/kit/command.ts";
import { checkGiven } from "../../src/kit/forms.ts";
import { parseValue } from "../../src/kit/parse.ts";
import { errorText } from "../../src/kit/run.ts";
import { isRelaisError } from "../../src/errors.ts";
import { texts } from "../../src/i18n/index.ts";
import { manualClock, ZONE } from "../support/fixtures.ts";

const param: Param = { id: "channels", label: "field.channels", type: { kind: "channel", many: true }, required: true };
const ctx = (platform: string, lang: "fr" | "en" = "fr") => ({
  texts: texts(lang, ZONE),
  clock: manualClock(),
  platform,
});

/** The refusal a person reads, or undefined when accepted. */
function refusal(f: () => unknown, lang: "fr" | "en" = "fr"): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!isRelaisError(e)) throw e;
    return `${e.code}: ${errorText(texts(lang, ZONE), e)}`;
  }
}

describe("a channel field: picked or mentioned, stored by id (issue 15)", () => {
  it("GIVEN Slack's picked or escaped channels THEN their ids, in order, each once", () => {
    expect(parseValue(param, "<#C0123ABCD|support> <#G0999ZZZZ>, <#C0123ABCD>", ctx("slack"))).toEqual([
      "C0123ABCD",
      "G0999ZZZZ",
    ]);
    expect(parseValue(param, "C0123ABCD", ctx("slack"))).toEqual(["C0123ABCD"]);
  });

  it("GIVEN Discord's channel mentions or ids THEN their ids", () => {
    expect(parseValue(param, "<#123456789012345678> 223456789012345678", ctx("discord"))).toEqual([
      "123456789012345678",
      "223456789012345678",
    ]);
  });

  it("GIVEN the shell THEN names stay names", () => {
    expect(parseValue(param, "#support, compta", ctx("shell"))).toEqual(["support", "compta"]);
  });

  it.each([
    ["slack", "#support"],
    ["slack", "support"],
    ["discord", "#support"],
    ["discord", "<#C0123ABCD>"],
    ["slack", "<#123456789012345678>"],
  ])("GIVEN %s and %j (not a channel id there) THEN a polite refusal, in the person's language", (platform, typed) => {
    const fr = refusal(() => parseValue(param, typed, ctx(platform, "fr")), "fr");
    expect(fr).toContain("channel_not_picked");
    expect(fr).toContain(`« ${typed} » n’est pas un canal`);
    expect(fr).toContain("choisissez-le dans la liste");
    const en = refusal(() => parseValue(param, typed, ctx(platform, "en")), "en");
    expect(en).toContain("choose it from the form’s list");
  });

  it("GIVEN one channel only and two given THEN refused", () => {
    const one: Param = { ...param, type: { kind: "channel" } };
    expect(refusal(() => parseValue(one, "<#C0123ABCD> <#C0123ABCE>", ctx("slack")))).toContain("too_many_channels");
  });

  it("GIVEN a form carrying channel ids back THEN only ids of the platform pass the check again", () => {
    const declare = commands.find((c) => c.name === "outage")!.subcommands.find((s) => s.name === "declare")!;
    expect(checkGiven(declare, { channels: '["C0123ABCD"]' }, ctx("slack"))).toEqual({ channels: '["C0123ABCD"]' });
    for (const forged of ['["support"]', '["C0123ABCD>"]', '"C0123ABCD"', "[1]", "[]"])
      expect(refusal(() => checkGiven(declare, { channels: forged }, ctx("slack")))).toBeDefined();
  });
});
