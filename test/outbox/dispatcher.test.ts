import { afterEach, describe, expect, it } from "vitest";
import { adviceFor, subjectOfKey } from "../../src/outbox/delivery.ts";
import { RATE_LIMITED, SendError } from "../../src/outbox/outbox.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { P1_OUTAGE_FORM } from "../support/fixtures.ts";
import { parsePrometheus, sampleValue } from "../support/prometheus.ts";

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
      expect(texts[1]).toContain("depuis 10:00 (heure de Paris)");
      expect(texts[2]).toContain("depuis 10:00 (heure de Paris). Prochain point à 13:00");
    }
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
  });

  it("GIVEN a 500, a 429, a refusal and a reply waiting for its thread THEN the metrics count each failure by kind, never the wait", async () => {
    r = await startRelaisWithOutbox();
    const post = (key: string, channel: string, threadKey?: string) => ({
      platform: "shell",
      channel,
      key,
      reply: { blocks: [{ type: "text" as const, text: key }], ephemeral: false },
      ...(threadKey ? { threadKey } : {}),
    });
    const now = r.clock.now();
    // The card in "support" fails once (500); its reply, in another channel, waits for it meanwhile.
    await r.relais.store.outbox.enqueue(post("card", "support"), now);
    await r.relais.store.outbox.enqueue(post("reply", "thread", "card"), now);
    r.out.failNext(new SendError("HTTP 500", true));
    await r.dispatcher.flush();
    await r.relais.store.outbox.enqueue(post("limited", "compta"), now);
    r.out.failNext(new SendError(RATE_LIMITED, true, 30_000));
    await r.dispatcher.flush();
    await r.relais.store.outbox.enqueue(post("refused", "gone"), now);
    r.out.failNext(new SendError("channel_not_found", false));
    await r.dispatcher.flush();
    const failures = (kind: string) =>
      sampleValue(parsePrometheus(m), "relais_outbox_failures_total", { platform: "shell", kind });
    let m = await r.relais.metrics.exposition();
    expect([failures("transient"), failures("rate_limited"), failures("refused")]).toEqual([1, 1, 1]);
    expect(sampleValue(parsePrometheus(m), "relais_outbox_failed", { platform: "shell" })).toBe(1);
    expect(sampleValue(parsePrometheus(m), "relais_outbox_pending", { platform: "shell" })).toBe(3);
    // Once the card is out, its reply follows; nothing else counted.
    await r.at("2026-11-24T10:00:02");
    await r.at("2026-11-24T10:00:10");
    m = await r.relais.metrics.exposition();
    expect(r.out.to("thread")).toEqual(["reply"]);
    expect(failures("transient")).toBe(1);
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

describe("posts that do not go out when promised are told to the owner (issue 14)", () => {
  const notice = (key: string, channel = "bob") => ({
    platform: "shell",
    channel,
    key,
    reply: { blocks: [{ type: "text" as const, text: "Votre demande est prise en charge" }], ephemeral: false },
  });

  it("GIVEN a ticket's post refused for good THEN its owner is told once with what to do, and /ticket show lists it", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/ticket Imprimante bloquée au 2e étage");
    await r.relais.store.outbox.enqueue(notice("T-1:requester:acknowledged"), r.clock.now());
    r.out.failNext(new SendError("channel_not_found", false));
    await r.dispatcher.flush();
    expect(r.out.to("bob")).toEqual([]);
    const told = r.out.to("U-alice");
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("T-1");
    expect(told[0]).toContain("#bob");
    expect(told[0]).toContain("channel_not_found");
    expect(told[0]).toContain("Invitez Relais dans ce canal");
    // Told once: a later pass finds nothing new to say.
    await r.at("2026-11-24T10:30");
    expect(r.out.to("U-alice")).toHaveLength(1);
    expect(await r.text("/ticket show T-1")).toContain("⚠️ non publié dans #bob, prévu à 10:00");
    // Another ticket's summary says nothing of it.
    await r.say("/ticket Écran noir");
    expect(await r.text("/ticket show T-2")).not.toContain("non publié");
  });

  it("GIVEN 500s for most of an hour THEN the post is never given up, the owner is told once it is late, and it goes out once at recovery", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/ticket Imprimante bloquée au 2e étage");
    await r.relais.store.outbox.enqueue(notice("T-1:requester:acknowledged"), r.clock.now());
    r.out.failNext(...Array.from({ length: 40 }, () => new SendError("HTTP 500", true)));
    for (let minute = 0; minute <= 9; minute++) await r.at(`2026-11-24T10:0${minute}:30`);
    expect(r.out.to("U-alice")).toEqual([]);
    expect(await r.text("/ticket show T-1")).not.toContain("en attente");
    for (let minute = 10; minute <= 59; minute++) await r.at(`2026-11-24T10:${minute}:30`);
    expect(r.out.to("bob")).toEqual(["Votre demande est prise en charge"]);
    const late = r.out.to("U-alice");
    expect(late).toHaveLength(1);
    expect(late[0]).toContain("n’est toujours pas parti (HTTP 500)");
    expect(late[0]).toContain("Relais réessaie");
    expect(await r.relais.store.outbox.countUnsent()).toBe(0);
    expect(await r.text("/ticket show T-1")).not.toContain("en attente");
  });

  it("GIVEN a pending post past the delay THEN /ticket show says it is waiting and that Relais keeps trying", async () => {
    r = await startRelaisWithOutbox();
    await r.say("/ticket Imprimante bloquée au 2e étage");
    await r.relais.store.outbox.enqueue(notice("T-1:requester:acknowledged"), r.clock.now());
    r.out.failNext(...Array.from({ length: 40 }, () => new SendError("HTTP 503", true)));
    for (let minute = 0; minute <= 15; minute++) await r.at(`2026-11-24T10:${String(minute).padStart(2, "0")}:30`);
    expect(await r.text("/ticket show T-1")).toContain("⏳ en attente dans #bob depuis 10:00");
  });
});

describe("what the owner is told to do, read from the platform's refusal", () => {
  it("GIVEN Slack's and Discord's refusals THEN the advice fits", () => {
    expect(adviceFor("not_in_channel", true)).toBe("invite");
    expect(adviceFor("channel_not_found", true)).toBe("invite");
    expect(adviceFor("403 50001 Missing Access", true)).toBe("invite");
    expect(adviceFor("404 10003 Unknown Channel", true)).toBe("invite");
    expect(adviceFor("is_archived", true)).toBe("archived");
    expect(adviceFor("missing_scope", true)).toBe("permission");
    expect(adviceFor("403 50013 Missing Permissions", true)).toBe("permission");
    expect(adviceFor("HTTP 500", false)).toBe("retrying");
    expect(adviceFor("msg_too_long", true)).toBe("other");
  });

  it("GIVEN outbox keys THEN the subject is the reference they start with", () => {
    expect(subjectOfKey("INC-3:update-2:slack:C1")).toBe("INC-3");
    expect(subjectOfKey("T-12:warning:resolution:123")).toBe("T-12");
    expect(subjectOfKey("E-4:info-dm-2")).toBe("E-4");
    expect(subjectOfKey("D-4:to-owner")).toBeUndefined();
    expect(subjectOfKey("T-12")).toBeUndefined();
  });
});
