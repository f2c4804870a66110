/**
 * `npm run discord:register`: registers the slash commands of `commands/` with Discord, for one
 * guild (DISCORD_GUILD_ID, instant) or globally (may take up to an hour to show everywhere).
 */
import { REST, Routes } from "discord.js";
import { commands } from "../commands/index.ts";
import { registrationPayload } from "../src/surfaces/discord/registration.ts";

const token = process.env.DISCORD_TOKEN;
const app = process.env.DISCORD_APPLICATION_ID;
if (!token || !app) {
  process.stderr.write("Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID for one server) first.\n");
  process.exit(1);
}
const rest = new REST({ ...(process.env.DISCORD_API_URL ? { api: process.env.DISCORD_API_URL } : {}) }).setToken(token);
const guild = process.env.DISCORD_GUILD_ID;
const body = registrationPayload(commands);
const registered = (await rest.put(
  guild ? Routes.applicationGuildCommands(app, guild) : Routes.applicationCommands(app),
  { body },
)) as { name: string }[];
process.stdout.write(
  `Registered ${registered.length} commands ${guild ? `in guild ${guild}` : "globally"}: ${registered.map((c) => `/${c.name}`).join(", ")}\n`,
);
