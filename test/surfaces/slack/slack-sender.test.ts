import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import { SlackSender } from "../../../src/surfaces/slack/slack-sender.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";

let r: TestRelais;
let slack: FakeSlack;
let dispatcher: OutboxDispatcher;
beforeEach(async () => {
  r = await startRelais();
  slack = await new FakeSlack().start();
  dispatcher = r.relais.dispatcher({ slack: new SlackSender("xoxb-t", slack.url) });
});
afterEach(async () => {
  await slack.stop();
  await r.close();
});

const post = (key: string, text: string) => ({
  platform: "slack",
  channel: "C1",
  key,
  reply: { blocks: [{ type: "text" as const, text }], ephemeral: false },
});

describe("outbox posts to Slack under failures", () => {
  it("GIVEN 429 with Retry-After then 5xx THEN each post is delivered once, in order, after the waits", async () => {
    slack.fail(
      "chat.postMessage",
      { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "20" } },
      { status: 500, body: { ok: false } },
      { status: 502, body: {} },
    );
    for (let i = 1; i <= 3; i++) await r.relais.store.outbox.enqueue(post(`k${i}`, `update ${i}`), r.clock.now());
    await dispatcher.flush(); // 429: the head waits 20 s, and the channel behind it
    expect(slack.of("chat.postMessage")).toHaveLength(1);
    r.clock.set(r.clock.now().plus({ seconds: 19 }));
    await dispatcher.flush();
    expect(slack.of("chat.postMessage")).toHaveLength(1);
    r.clock.set(r.clock.now().plus({ seconds: 2 }));
    await dispatcher.flush(); // 500, backoff
    r.clock.set(r.clock.now().plus({ seconds: 5 }));
    await dispatcher.flush(); // 502, backoff
    r.clock.set(r.clock.now().plus({ seconds: 10 }));
    await dispatcher.flush(); // all three go
    const delivered = slack
      .of("chat.postMessage")
      .slice(3)
      .map((c) => c.body.text as string);
    expect(delivered).toEqual(["update 1", "update 2", "update 3"]);
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
    await dispatcher.flush();
    expect(slack.of("chat.postMessage")).toHaveLength(6);
  });

  it("GIVEN a channel the bot is not in THEN that post is marked failed, and other channels are not held up", async () => {
    slack.fail("chat.postMessage", { status: 200, body: { ok: false, error: "not_in_channel" } });
    await r.relais.store.outbox.enqueue(post("a", "to C1"), r.clock.now());
    await r.relais.store.outbox.enqueue({ ...post("b", "to C2"), channel: "C2" }, r.clock.now());
    await dispatcher.flush();
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
    expect(
      slack
        .of("chat.postMessage")
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(["C1", "C2"]);
  });
});

describe("a post whose first attempt reached Slack", () => {
  it("GIVEN the sender died after Slack accepted the post THEN the retry finds it by its key and does not post twice", async () => {
    const sender = new SlackSender("xoxb-t", slack.url);
    // The first attempt went through, but its claimer died before recording it as sent.
    await sender.send(
      "C1",
      { blocks: [{ type: "text", text: "update 1" }], ephemeral: false },
      undefined,
      "INC-1:update-1:slack:C1",
    );
    await r.relais.store.outbox.enqueue(post("INC-1:update-1:slack:C1", "update 1"), r.clock.now());
    const [claimed] = await r.relais.store.outbox.claimHeads(r.clock.now(), "dead", 1000, 10);
    expect(claimed!.attempts).toBe(1);
    r.clock.set(r.clock.now().plus({ seconds: 2 })); // the dead claimer's lease ends
    await dispatcher.flush();
    expect(slack.of("chat.postMessage")).toHaveLength(1);
    expect(slack.of("conversations.history")).toHaveLength(1);
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
  });
});
