import { RESTEvents } from "discord.js";
import { describe, expect, it } from "vitest";
import { chatInput } from "../../support/discord-gateway.ts";
import { cleanupsAfterEach } from "../../support/cleanups.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

const cleanups = cleanupsAfterEach();
async function harness(restSweepMs: number): Promise<DiscordHarness> {
  const h = await startDiscordHarness({ surface: { restSweepMs } });
  cleanups.push(() => h.close());
  return h;
}

/**
 * Issue 16, "no growth over a 30-minute soak": discord.js routes an interaction's answer by its
 * token, so each interaction leaves a REST queue behind; the soak's heap grew by thousands of them
 * (swept hourly by default). Relais drops the idle ones at its own, short interval.
 */
describe("Discord REST queues left by interactions", () => {
  it("GIVEN twelve /ticket new answered THEN the queue each answer's token made is dropped once idle", async () => {
    const h = await harness(300);
    // The answers go through the REST that answers interactions, apart from the client's.
    const rest = h.surface.replies;
    let swept = 0;
    rest.on(RESTEvents.HandlerSweep, (queues) => {
      swept += queues.size;
    });
    for (let i = 0; i < 12; i++) await h.deliver(chatInput("ticket", "new", { title: `Imprimante bloquée ${i}` }));
    expect(h.edits()).toHaveLength(12);
    // Sweeps run while the answers are made and after: within 5 s, every token's queue is gone.
    const deadline = Date.now() + 5000;
    while ((swept < 12 || rest.handlers.size >= 3) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(swept, "queues dropped once idle").toBeGreaterThanOrEqual(12);
    expect(rest.handlers.size).toBeLessThan(3);
  });
});
