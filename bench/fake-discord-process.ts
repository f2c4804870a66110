/**
 * Discord, in its own process as it is remote: for each app of the bench (its name), a fake REST API
 * and a fake gateway its discord.js client logs in to. On a message from the parent, it sends
 * `bursts` bursts of `concurrency` slash commands (`/ticket new <title>`, INTERACTION_CREATE) to one
 * app, one burst every `everyMs`, and answers with each interaction's time from its dispatch to its
 * first callback (the deferral or answer) reaching the REST API — what Discord's 3 s window times.
 */
import { chatInput } from "../test/support/discord-gateway.ts";
import { type DiscordCall, FakeDiscordApi } from "../test/support/discord-api.ts";
import { FakeDiscordGateway } from "../test/support/fake-sockets.ts";

const APPLICATION_ID = "400000000000000001";
const names = process.argv.slice(2);
const apps = new Map<string, { api: FakeDiscordApi; gateway: FakeDiscordGateway; waiting: Map<string, () => void> }>();
for (const name of names) {
  const api = await new FakeDiscordApi().start();
  const gateway = await new FakeDiscordGateway(APPLICATION_ID).start();
  api.gateway = gateway.url;
  const waiting = new Map<string, () => void>();
  // Each interaction callback, as it arrives: the interaction's id is in its path.
  const push = api.calls.push.bind(api.calls);
  api.calls.push = (...calls: DiscordCall[]) => {
    for (const c of calls) {
      const m = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(c.path);
      if (m && c.method === "POST") waiting.get(m[1]!)?.();
    }
    return push(...calls);
  };
  apps.set(name, { api, gateway, waiting });
}
process.send!({ apis: Object.fromEntries([...apps].map(([n, a]) => [n, a.api.api])) });

interface Load {
  app: string;
  concurrency: number;
  bursts?: number;
  everyMs?: number;
  first: number;
}

process.on("message", (m: Load | { counts: string }) => {
  const app = apps.get("app" in m ? m.app : m.counts)!;
  if (!("app" in m)) {
    const cards = app.api.calls.filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path)).length;
    process.send!({ cards });
    return;
  }
  void (async () => {
    const acked: Promise<number>[] = [];
    const t0 = performance.now();
    for (let b = 0; b < (m.bursts ?? 1); b++) {
      const wait = t0 + b * (m.everyMs ?? 0) - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      for (let k = 0; k < m.concurrency; k++) {
        const n = m.first + b * m.concurrency + k;
        const payload = chatInput("ticket", "new", { title: `Imprimante bloquée ${n}` });
        const sent = performance.now();
        acked.push(
          new Promise<number>((resolve) => {
            const timeout = setTimeout(() => resolve(Number.POSITIVE_INFINITY), 60_000);
            app.waiting.set(payload.id, () => {
              clearTimeout(timeout);
              app.waiting.delete(payload.id);
              resolve(performance.now() - sent);
            });
          }),
        );
        app.gateway.dispatch("INTERACTION_CREATE", payload);
      }
    }
    const samples = await Promise.all(acked);
    process.send!({ samples, failed: samples.filter((s) => !Number.isFinite(s)).length });
  })();
});
