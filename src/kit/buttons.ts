import { BUTTON_IDS, type ButtonId, isButtonId, KIT_BUTTONS } from "../buttons.ts";
import type { Command, Subcommand } from "./command.ts";

export interface ButtonRoute {
  command: Command;
  sub: Subcommand;
}

/**
 * Each button id to the subcommand that declares it (`buttons` in commands/*.ts). Throws at start-up
 * when an id is routed twice or not at all, naming the fix: the check that ties ids to commands.
 */
export function routeButtons(commands: readonly Command[]): ReadonlyMap<ButtonId, ButtonRoute> {
  const routes = new Map<ButtonId, ButtonRoute>();
  for (const command of commands)
    for (const sub of command.subcommands)
      for (const id of sub.buttons ?? []) {
        if (KIT_BUTTONS.includes(id)) throw new Error(`Button "${id}" is the kit's own: no subcommand may declare it.`);
        const seen = routes.get(id);
        if (seen)
          throw new Error(
            `Button "${id}" is declared by /${seen.command.name} ${seen.sub.name} and /${command.name} ${sub.name}: keep it on one subcommand.`,
          );
        routes.set(id, { command, sub });
      }
  const unrouted = BUTTON_IDS.filter((id) => !routes.has(id) && !KIT_BUTTONS.includes(id));
  if (unrouted.length)
    throw new Error(`Buttons with no subcommand: ${unrouted.join(", ")}. Add them to a subcommand's \`buttons\`.`);
  return routes;
}

export function findRoute(routes: ReadonlyMap<ButtonId, ButtonRoute>, id: string): ButtonRoute | undefined {
  return isButtonId(id) ? routes.get(id) : undefined;
}
