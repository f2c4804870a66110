import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { BUTTON_IDS, KIT_BUTTONS } from "../../src/buttons.ts";
import { routeButtons } from "../../src/kit/buttons.ts";

describe("button routes", () => {
  it("GIVEN the commands THEN every button id but the kit's own is routed to exactly one subcommand, whose first argument takes its value", () => {
    const routes = routeButtons(commands);
    expect([...routes.keys()].sort()).toEqual(BUTTON_IDS.filter((id) => !KIT_BUTTONS.includes(id)).sort());
    for (const [id, { sub }] of routes) expect(sub.args[0], id).toBeDefined();
  });

  it("GIVEN a button declared twice or not at all THEN start-up refuses, naming the fix", () => {
    const [ticket, ...others] = commands;
    const twice = {
      ...ticket!,
      subcommands: [...ticket!.subcommands, { ...ticket!.subcommands[0]!, buttons: ["ticket_take" as const] }],
    };
    expect(() => routeButtons([twice, ...others])).toThrow(/ticket_take.*keep it on one subcommand/);
    expect(() => routeButtons(others)).toThrow(/Buttons with no subcommand: ticket_take/);
  });
});
