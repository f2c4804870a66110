import { describe, expect, it } from "vitest";
import type { Param } from "../../src/kit/command.ts";
import { parsePerson } from "../../src/kit/mention.ts";
import { parseValue } from "../../src/kit/parse.ts";
import { texts } from "../../src/i18n/index.ts";
import { manualClock, ZONE } from "../support/fixtures.ts";

describe("parsePerson: a chat user Relais can reach, or a plain name", () => {
  it("reads each platform's mention as a reachable person", () => {
    expect(parsePerson("<@U123|ana>", "slack")).toEqual({ id: "slack:U123", name: "ana" });
    expect(parsePerson("<@123456789>", "discord")).toEqual({ id: "discord:123456789", name: "<@123456789>" });
    expect(parsePerson("@ana", "shell")).toEqual({ id: "shell:ana", name: "ana" });
  });

  it("keeps a plain name a name (a caller with no chat account), spaces tidied", () => {
    expect(parsePerson("Marie-Claire  O'Neil", "shell")).toEqual({ name: "Marie-Claire O'Neil" });
    expect(parsePerson("ana", "slack")).toEqual({ name: "ana" });
    expect(parsePerson("J. Martin", "discord")).toEqual({ name: "J. Martin" });
  });

  it.each([
    ["<#C123>", "shell"],
    ["<!here>", "slack"],
    ["<@>", "discord"],
    ["@ana", "discord"], // "@" is not how Discord names people: a mention or a name
    ["ana@corp.fr", "shell"],
    ["@", "shell"],
    ["-", "shell"],
  ])("refuses %j on %s", (text, platform) => {
    expect(parsePerson(text, platform)).toBeUndefined();
  });
});

describe("parseValue of a person field", () => {
  const param: Param = { id: "requester", label: "field.requesterPerson", type: { kind: "person" }, required: false };
  const ctx = (lang: "fr" | "en", platform?: string) => ({
    texts: texts(lang, ZONE),
    clock: manualClock(),
    ...(platform ? { platform } : {}),
  });

  it("uses the platform the person types on for @name", () => {
    expect(parseValue(param, "@ana", ctx("fr", "shell"))).toEqual({ id: "shell:ana", name: "ana" });
    expect(parseValue(param, "", ctx("fr"))).toBeUndefined();
  });

  it("refuses anything else, naming the field", () => {
    expect(() => parseValue(param, "<#C1>", ctx("fr"))).toThrow(/invalid_person/);
    let refused: unknown;
    try {
      parseValue(param, "<#C1>", ctx("en"));
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({
      code: "invalid_person",
      params: { value: "<#C1>", field: "field.requesterPerson" },
    });
  });
});
