import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/** A WebSocket server on 127.0.0.1 (any free port) that hands each connection to `connected`. */
async function socketServer(connected: (ws: WebSocket) => void): Promise<{ url: string; stop(): Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  wss.on("connection", connected);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    stop: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Discord's gateway, as much as a bot's login needs: HELLO, READY (in no guild) after IDENTIFY,
 * and an ACK for each heartbeat. `identified` keeps what each IDENTIFY said (token, intents).
 */
export class FakeDiscordGateway {
  readonly identified: { token?: string; intents?: number }[] = [];
  url = "";
  private server: { stop(): Promise<void> } | undefined;
  private readonly sockets: WebSocket[] = [];
  private seq = 1;

  constructor(private readonly applicationId: string) {}

  async start(): Promise<this> {
    const send = (ws: WebSocket, op: number, d: unknown, t: string | null = null, s: number | null = null) =>
      ws.send(JSON.stringify({ op, d, s, t }));
    const server = await socketServer((ws) => {
      this.sockets.push(ws);
      send(ws, 10, { heartbeat_interval: 41_250 });
      ws.on("message", (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { op: number; d: { token?: string; intents?: number } };
        if (m.op === 1) send(ws, 11, null);
        if (m.op !== 2) return;
        this.identified.push(m.d);
        const user = { id: this.applicationId, username: "relais", discriminator: "0", avatar: null, bot: true };
        send(
          ws,
          0,
          {
            v: 10,
            user,
            guilds: [],
            session_id: "fake-session",
            resume_gateway_url: this.url,
            shard: [0, 1],
            application: { id: this.applicationId, flags: 0 },
          },
          "READY",
          1,
        );
      });
    });
    this.server = server;
    this.url = server.url;
    return this;
  }

  /** Delivers a gateway event (INTERACTION_CREATE with a payload of discord-gateway.ts) to every connected client. */
  dispatch(t: string, d: unknown): void {
    const s = ++this.seq;
    for (const ws of this.sockets) ws.send(JSON.stringify({ op: 0, t, d, s }));
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}

/**
 * Slack's Socket Mode endpoint (the URL apps.connections.open gives): `hello` on connection, and a
 * ping now and then as Slack sends them. `connections` counts who connected.
 */
export class FakeSlackSocket {
  connections = 0;
  url = "";
  /** The acknowledgements the app sent back, by envelope id. */
  readonly acks = new Map<string, unknown>();
  private server: { stop(): Promise<void> } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly sockets: WebSocket[] = [];
  private n = 0;

  async start(): Promise<this> {
    const server = await socketServer((ws) => {
      this.connections++;
      this.sockets.push(ws);
      ws.on("message", (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { envelope_id?: string; payload?: unknown };
        if (m.envelope_id) this.acks.set(m.envelope_id, m.payload ?? null);
      });
      ws.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "fake", approximate_connection_time: 18060 },
          connection_info: { app_id: "A1" },
        }),
      );
      this.timers.push(setInterval(() => ws.ping(), 5_000));
    });
    this.server = server;
    this.url = server.url;
    return this;
  }

  /** Sends a request as Slack does over the socket (`slash_commands`, `interactive`); returns its envelope id. */
  send(type: "slash_commands" | "interactive", payload: Record<string, unknown>): string {
    const envelope_id = `env-${++this.n}`;
    const message = JSON.stringify({ envelope_id, type, payload, accepts_response_payload: true, retry_attempt: 0 });
    for (const ws of this.sockets) ws.send(message);
    return envelope_id;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.server?.stop();
  }
}
