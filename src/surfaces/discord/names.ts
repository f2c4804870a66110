import { fold } from "../../text.ts";

/**
 * Discord option and command names: lowercase, 1–32 characters of letters, digits, - and _.
 * Our ids are camelCase ("nextAction"), so they become snake_case ("next_action") there.
 */
export function discordName(id: string): string {
  return fold(id.replace(/([a-z0-9])([A-Z])/g, "$1_$2"))
    .replace(/[^\p{L}\p{N}_-]+/gu, "_")
    .slice(0, 32);
}

/** The camelCase id back from a Discord option name, among the known ids. */
export function fromDiscordName(name: string, ids: readonly string[]): string | undefined {
  return ids.find((id) => discordName(id) === name);
}
