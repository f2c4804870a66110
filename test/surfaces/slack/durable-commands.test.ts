import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { createSlackSurface, type SlackSurface } from "../../../src/surfaces/slack/slack-app.ts";
import { OPEN_STATUSES } from "../../../src/tickets/model.ts";
import { sendToBot, slashCommand } from "../../support/fake-slack.ts";
import { SECRET, startSlackHarness, TOKEN, type SlackHarness } from "./harness.ts";

/**
 * Issue 14, "durable commands": a command is recorded before its ack; a replica that acks it and
 * dies before doing it leaves it to another replica (or to itself after a restart), which does it
 * once and answers the person — on the request's response_url while Slack takes it, else privately.
 */
let h: SlackHarness;
let stuck: SlackSurface | undefined;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(async () => {
  await stuck?.stop();
  stuck = undefined;
  await h.close();
});

/** A second replica on the same database whose work after the ack never comes: it acks, then "dies". */
async function dyingReplica(): Promise<string> {
  stuck = createSlackSurface(h.r.relais, commands, {
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl: h.slack.url,
    port: 0,
    botUserId: "UBOT",
    afterAck: { quietMs: 1e9, maxWaitMs: 1e9 },
  });
  const { port } = await stuck.start(); // its recovery is not started: a dead replica recovers nothing
  return `http://127.0.0.1:${port}/slack/events`;
}

const open = () => h.r.relais.store.tickets.count({ statuses: OPEN_STATUSES });
const answers = (name: string) => h.slack.of(`response/${name}`).map((c) => JSON.stringify(c.body));
const late = (minutes: number) => h.r.clock.set(h.r.clock.now().plus({ minutes }));

describe("a command acknowledged by a replica that died before doing it", () => {
  it("GIVEN /ticket acked then lost THEN another replica does it once when the lease ends and answers on the response_url; the dead one's late work changes nothing", async () => {
    const url = await dyingReplica();
    const acked = await sendToBot(
      url,
      slashCommand(h.slack, "/ticket", "Imprimante du 2e étage HS", { response_url: h.slack.responseUrl("late") }),
      { secret: SECRET },
    );
    expect(acked.status).toBe(200);
    expect(await open()).toBe(0);
    // Still within the lease of the replica that took it: not taken over yet.
    expect(await h.surface.recovery.recover()).toBe(0);

    late(1.1);
    expect(await h.surface.recovery.recover()).toBe(1);
    expect(await open()).toBe(1);
    const said = answers("late");
    expect(said).toHaveLength(1);
    expect(said[0]).toContain("Votre commande /ticket nouveau a été traitée après un redémarrage de Relais");
    expect(said[0]).toContain("T-1");

    // Nothing left to run; and the dead replica's own work, were it to run after all, finds it done.
    late(2);
    expect(await h.surface.recovery.recover()).toBe(0);
    await stuck!.stop(); // drains its queue: the stale job runs now
    stuck = undefined;
    expect(await open()).toBe(1);
    expect(answers("late")).toHaveLength(1);
  });

  it("GIVEN the command is taken over after Slack's 30 minutes THEN the answer goes to the person's direct messages", async () => {
    const url = await dyingReplica();
    await sendToBot(
      url,
      slashCommand(h.slack, "/ticket", "Écran noir au poste 12", { response_url: h.slack.responseUrl("late") }),
      { secret: SECRET },
    );
    late(31);
    expect(await h.surface.recovery.recover()).toBe(1);
    await h.dispatcher.flush();
    expect(answers("late")).toEqual([]);
    const dm = h.slack.of("chat.postMessage").filter((c) => c.body.channel === "U-ALICE");
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0]!.body)).toContain("a été traitée après un redémarrage");
    expect(await open()).toBe(1);
  });

  it("GIVEN commands done (one ticket) or refused (an unknown ticket) where they were acked THEN nothing is run again later", async () => {
    await h.command("Imprimante du 2e étage HS");
    await h.command("take T-99");
    await h.surface.idle();
    expect(await open()).toBe(1);
    late(5);
    expect(await h.surface.recovery.recover()).toBe(0);
    expect(await open()).toBe(1);
  });
});
