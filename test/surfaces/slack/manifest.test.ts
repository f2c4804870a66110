import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commands } from "../../../commands/index.ts";
import { formParams } from "../../../src/kit/command.ts";

describe("slack-manifest.yaml", () => {
  const manifest = parse(readFileSync(new URL("../../../slack-manifest.yaml", import.meta.url), "utf8"));

  it("GIVEN the command registry THEN the manifest declares exactly its slash commands", () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command).sort();
    expect(declared).toEqual(commands.map((c) => `/${c.name}`).sort());
  });

  it("GIVEN what the surface calls THEN the manifest grants those scopes, interactivity and the mention event", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        "commands",
        "chat:write",
        "chat:write.public",
        "app_mentions:read",
        "channels:manage",
        "pins:write",
        "files:write",
        "channels:history",
        "users:read",
      ]),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_mention");
    for (const c of manifest.features.slash_commands) expect(c.url).toMatch(/\/slack\/events$/);
  });

  it("GIVEN a command taking channels THEN Slack escapes it, so a typed #channel arrives as <#C…|name> (issue 15)", () => {
    const escaped = (name: string) =>
      manifest.features.slash_commands.find((c: { command: string }) => c.command === `/${name}`)?.should_escape;
    const withChannels = commands.filter((c) =>
      c.subcommands.some((s) => formParams(s).some((p) => p.type.kind === "channel")),
    );
    expect(withChannels.map((c) => c.name)).toEqual(["outage"]);
    for (const c of withChannels) expect(escaped(c.name)).toBe(true);
  });
});
