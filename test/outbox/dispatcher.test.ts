import { afterEach, describe, expect, it } from "vitest";
import { SendError } from "../../src/outbox/outbox.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { P1_OUTAGE_FORM } from "../support/fixtures.ts";

/** The outbox dispatcher (src/outbox/dispatcher.ts) over a recording sender that can be told to fail. */
let r: OutboxRelais;
afterEach(() => r.close());

describe("the outbox under platform failures", () => {
  it("GIVEN 429 with Retry-After then 500s THEN every post is delivered after recovery, in order, none twice", async () => {
    r = await startRelaisWithOutbox();
    r.out.failNext(
      new SendError("ratelimited", true, 30_000),
      new SendError("HTTP 500", true),
      new SendError("HTTP 503", true),
    );
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush(); // support: 429; compta: 500
    await r.at("2026-11-24T10:00:02"); // compta retried after 1 s: 503
    await r.at("2026-11-24T10:00:10");
    expect(r.out.to("compta")).toHaveLength(1);
    expect(r.out.to("support")).toHaveLength(0); // still waiting for Retry-After
    await r.at("2026-11-24T10:00:31");
    expect(r.out.to("support")).toHaveLength(1);
    await r.at("2026-11-24T11:00");
    await r.at("2026-11-24T12:00");
    for (const ch of ["support", "compta"]) {
      const texts = r.out.to(ch);
      expect(texts).toHaveLength(3);
      expect(texts[0]).toContain("🚨 INC-1");
      expect(texts[1]).toContain("depuis mar. 24 nov. 10:00");
      expect(texts[2]).toContain("depuis mar. 24 nov. 10:00. Prochain point à mar. 24 nov. 13:00");
    }
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
  });

  it("GIVEN the same post enqueued twice THEN it is recorded and sent once", async () => {
    r = await startRelaisWithOutbox();
    const entry = {
      platform: "shell",
      channel: "support",
      key: "k1",
      reply: { blocks: [{ type: "text" as const, text: "hello" }], ephemeral: false },
    };
    expect(await r.relais.store.outbox.enqueue(entry, r.clock.now())).toBe(true);
    expect(await r.relais.store.outbox.enqueue(entry, r.clock.now())).toBe(false);
    await r.dispatcher.flush();
    expect(r.out.to("support")).toEqual(["hello"]);
  });
});
