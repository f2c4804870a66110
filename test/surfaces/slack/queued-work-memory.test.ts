import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { createSlackSurface, type SlackSurface } from "../../../src/surfaces/slack/slack-app.ts";
import { OPEN_STATUSES } from "../../../src/tickets/model.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";
import { FakeSlack, sendToBot, slashCommand } from "../../support/fake-slack.ts";
import { SECRET, TOKEN } from "./harness.ts";

/**
 * Issue 16: the work queued behind a burst's acks waits for quiet; meanwhile it must not keep each
 * acknowledged request alive (Bolt's ack holds the request and its response: ~10 KB a request, kept
 * past two scavenges, then promoted and collected only by a full collection).
 */
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let r: TestRelais;
let slack: FakeSlack;
let surface: SlackSurface;
beforeEach(async () => {
  slack = await new FakeSlack().start();
  r = await startRelais();
});
afterEach(async () => {
  await surface.stop();
  await slack.stop();
  await r.close();
});

describe("work queued behind acks", () => {
  it("GIVEN /ticket acknowledged and its work still queued THEN the request's ack is collectable, and the work then runs", async () => {
    surface = createSlackSurface(r.relais, commands, {
      botToken: TOKEN,
      signingSecret: SECRET,
      apiUrl: slack.url,
      port: 0,
      botUserId: "UBOT",
      // The work waits: quiet never comes before the test drains it.
      afterAck: { quietMs: 1e9, maxWaitMs: 1e9 },
    });
    const acks: WeakRef<object>[] = [];
    surface.app.use(async (args) => {
      const ack = (args as { ack?: object }).ack;
      if (ack) acks.push(new WeakRef(ack));
      await args.next();
    });
    const { port } = await surface.start();
    const url = `http://127.0.0.1:${port}/slack/events`;
    for (const title of ["Imprimante bloquée", "Écran noir au poste 12"]) {
      const res = await sendToBot(url, slashCommand(slack, "/ticket", title), { secret: SECRET });
      expect(res.status).toBe(200);
    }
    const open = () => r.relais.store.tickets.count({ statuses: OPEN_STATUSES });
    expect(await open()).toBe(0); // both jobs still queued
    expect(acks).toHaveLength(2);

    await new Promise((resolve) => setImmediate(resolve)); // WeakRefs hold their target for the current job
    gc();
    expect(acks.map((a) => a.deref() === undefined)).toEqual([true, true]);

    await surface.idle(); // drains the queue
    expect(await open()).toBe(2);
  });
});
