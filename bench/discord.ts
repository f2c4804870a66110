import { fork } from "node:child_process";
import { Client, Events, GatewayIntentBits, MessageFlags } from "discord.js";
import { commands } from "../commands/index.ts";
import { createDiscordSurface } from "../src/surfaces/discord/discord-app.ts";
import { DiscordSender } from "../src/surfaces/discord/discord-sender.ts";
import { openBenchApp } from "./app.ts";
import { ackRounds } from "./ack-rounds.ts";
import { type Check, section } from "./report.ts";

const TOKEN = "bench-discord-token";
const APPLICATION_ID = "400000000000000001";

/**
 * Time to defer `/ticket new <title>` interactions on Discord (issue 16, bench/ack-rounds.ts):
 * Relais's discord.js client beside a bare one that only defers, each logged in to its own fake
 * gateway and REST API in another process, which sends the interactions and times each from its
 * dispatch to its deferral reaching the REST API.
 */
export async function discordBench(): Promise<{ checks: Check[] }> {
  section("Discord: /ticket new <title> from the gateway of another process, time to defer");
  const fake = fork(new URL("./fake-discord-process.ts", import.meta.url).pathname, ["bare", "relais"], {
    execArgv: ["--import", "tsx"],
  });
  const { apis } = await new Promise<{ apis: Record<string, string> }>((resolve) => fake.once("message", resolve));
  const ask = <T>(m: unknown) =>
    new Promise<T>((resolve) => {
      fake.once("message", (r: T) => resolve(r));
      fake.send(m as object);
    });

  const bench = await openBenchApp();
  const surface = createDiscordSurface(bench.relais, commands, {
    token: TOKEN,
    applicationId: APPLICATION_ID,
    apiUrl: apis.relais!,
  });
  // Cards go out on the client's REST, as `npm start` sends them (src/main.ts).
  const dispatcher = bench.relais.dispatcher({ discord: new DiscordSender(surface.client.rest) });
  dispatcher.start(500);
  const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: apis.bare! } });
  bare.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) void i.deferReply({ flags: MessageFlags.Ephemeral });
  });
  const ready = (c: Client) => new Promise((resolve) => c.once(Events.ClientReady, resolve));
  const relaisReady = ready(surface.client);
  const bareReady = ready(bare);
  await surface.start();
  await bare.login(TOKEN);
  await Promise.all([relaisReady, bareReady]);

  let n = 0;
  const load = async (app: "bare" | "relais", concurrency: number, bursts = 1, everyMs = 0) => {
    const t0 = performance.now();
    const r = await ask<{ samples: number[]; failed: number }>({ app, concurrency, bursts, everyMs, first: n });
    n += concurrency * bursts;
    if (r.failed) throw new Error(`${r.failed} interactions were not deferred within a minute`);
    return { samples: r.samples, ms: performance.now() - t0 };
  };
  const tickets = () => bench.relais.store.tickets.count({ statuses: ["new"] });
  const checks = await ackRounds({
    platform: "Discord",
    bare: "bare discord.js",
    ack: "defer",
    load,
    created: tickets,
    finished: async (expected) =>
      (await tickets()) >= expected && (await ask<{ cards: number }>({ counts: "relais" })).cards >= expected,
  });
  await surface.stop();
  await dispatcher.stop();
  await bare.destroy();
  fake.kill();
  await bench.close();
  return { checks };
}
