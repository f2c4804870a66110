import { describe, expect, it } from "vitest";
import { parseMention } from "../../src/kit/mention.ts";

describe("parseMention", () => {
  it("reads a Slack mention with or without the display name", () => {
    expect(parseMention("<@U123|ana>", "slack")).toEqual({ id: "slack:U123", name: "ana" });
    expect(parseMention("<@U123>", "slack")).toEqual({ id: "slack:U123", name: "U123" });
    expect(parseMention("<@W0AB9>", "slack")).toEqual({ id: "slack:W0AB9", name: "W0AB9" });
  });

  it("reads a Discord mention, with or without the nickname mark", () => {
    expect(parseMention("<@123456>", "discord")).toEqual({ id: "discord:123456", name: "<@123456>" });
    expect(parseMention("<@!123456>", "discord")).toEqual({ id: "discord:123456", name: "<@123456>" });
  });

  it("names the platform from the mention's form, not from where it was typed", () => {
    expect(parseMention("<@U123|ana>", "shell")?.id).toBe("slack:U123");
    expect(parseMention("<@123456>", "shell")?.id).toBe("discord:123456");
  });

  it("reads a plain name, with or without @, on the given platform", () => {
    expect(parseMention("@ana", "shell")).toEqual({ id: "shell:ana", name: "ana" });
    expect(parseMention("  ana  ", "shell")).toEqual({ id: "shell:ana", name: "ana" });
    expect(parseMention("@josé.martin-2", "slack")).toEqual({ id: "slack:josé.martin-2", name: "josé.martin-2" });
  });

  it.each(["", "   ", "@", "<@>", "<@u123>", "<@1234>", "<#C123>", "<@U123|>", "ana bob", "@ana!", "<@U123"])(
    "returns undefined for %j",
    (text) => {
      expect(parseMention(text, "shell")).toBeUndefined();
    },
  );
});
