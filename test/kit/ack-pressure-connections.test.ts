import { createServer, connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AckPressure } from "../../src/kit/after-ack.ts";

/**
 * Real sockets on 127.0.0.1: Node accepts one connection per turn of its loop, so a burst of new
 * connections waits in the kernel's queue, where work could hold it. AckPressure.connected keeps the
 * pressure on until a turn passes without a new connection.
 */
const opened: Socket[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.destroy();
});

describe("AckPressure.connected", () => {
  it("holds the pressure until every connection waiting in the kernel's queue is accepted", async () => {
    const pressure = new AckPressure({ quietMs: 0 });
    const N = 200;
    let accepted = 0;
    const server = createServer(() => {});
    server.on("connection", (socket) => {
      opened.push(socket);
      accepted++;
      pressure.connected();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    try {
      for (let i = 0; i < N; i++) opened.push(connect(port, "127.0.0.1").on("error", () => {}));
      // Hold the loop while the kernel completes the handshakes: all N wait in its accept queue.
      const until = performance.now() + 300;
      while (performance.now() < until);
      const releases: number[] = [];
      pressure.onRelease(() => releases.push(accepted));
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (accepted === N && !pressure.lastRequestAt().pending) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
      // Accepted one per turn (the reason for all this), and released only once, after the last.
      expect(releases).toEqual([N]);
    } finally {
      for (const s of opened.splice(0)) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it("releases a single connection's pressure after one quiet turn of the loop", async () => {
    const pressure = new AckPressure({ quietMs: 0 });
    pressure.connected();
    expect(pressure.lastRequestAt().pending).toBe(true);
    // Counted in turns, not milliseconds: a timer could fire before the next check phase on a busy
    // machine (it did, in CI).
    await new Promise((r) => setImmediate(r));
    expect(pressure.lastRequestAt().pending).toBe(true); // the turn that accepted it is not over
    await new Promise((r) => setImmediate(r));
    expect(pressure.lastRequestAt().pending).toBe(false);
  });
});
