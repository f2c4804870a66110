import type { Interaction } from "discord.js";
import { DOUBLE_CLICK, type OnceKey } from "../../kit/once.ts";

/**
 * The keys that make one Discord interaction one effect: its id (the gateway may deliver an
 * interaction again, after a resume) and, for a button, the click — same person, same button,
 * same message, within a few seconds (a double click is two interactions, two ids).
 */
export function discordOnceKeys(i: Interaction): { delivery: OnceKey; click?: OnceKey } {
  const delivery = { key: `discord:interaction:${i.id}` };
  if (!i.isButton()) return { delivery };
  return { delivery, click: { key: `discord:click:${i.user.id}:${i.message.id}:${i.customId}`, within: DOUBLE_CLICK } };
}
