import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commands } from "../../../commands/index.ts";
import { slashCommands } from "../../../src/surfaces/slack/slack-app.ts";
import { startSlackHarness, type SlackHarness } from "./harness.ts";

/** The slash command names README's "Commands" table shows (`/ticket`, `/panne declarer`, …). */
function readmeCommands(): string[] {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const section = readme.slice(
    readme.indexOf("\n## Commands"),
    readme.indexOf("\n## ", readme.indexOf("\n## Commands") + 1),
  );
  const table = section.split("\n").filter((l) => l.startsWith("| `"));
  const names = table.flatMap((row) => [...row.split(/(?<!\\)\|/)[1]!.matchAll(/`(\/[a-zé]+)/g)].map((m) => m[1]!));
  return [...new Set(names)].sort();
}

describe("slack-manifest.yaml", () => {
  const manifest = parse(readFileSync(new URL("../../../slack-manifest.yaml", import.meta.url), "utf8"));

  it("GIVEN the command registry THEN the manifest declares exactly the slash commands the surface routes and README lists", () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command).sort();
    const routed = slashCommands(commands)
      .map((c) => c.slash)
      .sort();
    expect(routed).toEqual(
      ["/ticket", "/outage", "/panne", "/escalate", "/escalade", "/escalader", "/owner", "/responsable", "/sla"].sort(),
    );
    expect(declared).toEqual(routed);
    expect(readmeCommands()).toEqual(routed);
  });

  it("GIVEN what the surface calls THEN the manifest grants those scopes, interactivity and the events", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        "commands",
        "chat:write",
        "chat:write.public",
        "app_mentions:read",
        "channels:manage",
        "pins:write",
        "files:write",
        "users:read",
        // The duplicate check (SlackSender.alreadySent) reads back public and private channels, DMs and group DMs.
        "channels:history",
        "groups:history",
        "im:history",
        "mpim:history",
      ]),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_mention", "app_home_opened"]),
    );
    for (const c of manifest.features.slash_commands) expect(c.url).toMatch(/\/slack\/events$/);
  });

  it("GIVEN the App Home THEN its Home tab is enabled, beside the messages tab", () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
  });
});

describe("the manifest's commands on the running Slack surface", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  it("GIVEN each slash command the manifest declares, French names included, THEN Bolt routes it: its help answers at once", async () => {
    const manifest = parse(readFileSync(new URL("../../../slack-manifest.yaml", import.meta.url), "utf8"));
    const routed = new Map(slashCommands(commands).map((c) => [c.slash, c.command.name]));
    for (const { command } of manifest.features.slash_commands as { command: string }[]) {
      const res = await h.command("aide", {}, command);
      expect(res.status, command).toBe(200);
      const help = res.json() as { response_type: string; blocks: { text: { text: string } }[] };
      expect(help.response_type, command).toBe("ephemeral");
      // The help of the command it routes to: /panne answers with /outage's.
      expect(help.blocks[0]!.text.text, command).toMatch(new RegExp(`^/${routed.get(command)} — `));
    }
  });
});
