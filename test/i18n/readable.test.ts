import { afterEach, describe, expect, it } from "vitest";
import { t, texts } from "../../src/i18n/index.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { P1_OUTAGE_FORM, paris, TUESDAY_10, ZONE } from "../support/fixtures.ts";

/** Issue 15, "Times people can read": what the affected channels read, in French and in English. */

let r: OutboxRelais;
afterEach(() => r?.close());

const times = (text: string) => text.match(/\d{2}:\d{2}/g) ?? [];
const zoneMentions = (text: string, zone: string) => text.split(zone).length - 1;

describe("every time in a post states its zone once, its date only when not today", () => {
  it("GIVEN an outage declared at 10:00 (fr) THEN the announcement says 11:00 (heure de Paris), once, without the date", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    const [post] = r.out.to("support");
    expect(post).toContain("Prochain point : 11:00 (heure de Paris), même sans résolution.");
    expect(post).not.toContain("24 nov.");
    expect(zoneMentions(post!, "heure de Paris")).toBe(1);
  });

  it("GIVEN a silent owner THEN the no-change post states the zone at its first time only, both times without the date", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.at("2026-11-24T11:00");
    expect(r.out.to("support")[1]).toBe(
      "⏱️ INC-1 — Pas de changement depuis 10:00 (heure de Paris). Prochain point à 12:00.",
    );
  });

  it("GIVEN an outage declared at 23:30 THEN the next update after midnight (Paris) shows its date, the zone once", async () => {
    // 23:30 in Paris is 22:30 UTC: the same UTC day as 00:30 Paris (23:30 UTC) — the day is Paris's.
    r = await startRelaisWithOutbox({ now: paris("2026-11-24T23:30") });
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    const [post] = r.out.to("support");
    expect(post).toContain("Prochain point : mer. 25 nov. 00:30 (heure de Paris), même sans résolution.");
    expect(zoneMentions(post!, "heure de Paris")).toBe(1);
    // At 00:30 the silent owner's post: its "since" (yesterday 23:30) dated, its next update (today) not.
    await r.at("2026-11-25T00:30");
    expect(r.out.to("support")[1]).toBe(
      "⏱️ INC-1 — Pas de changement depuis mar. 24 nov. 23:30 (heure de Paris). Prochain point à 01:30.",
    );
  });

  it("GIVEN a delay announced with an estimate (fr) THEN the five-block post names the zone once for its three times", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    r.clock.set(paris("2026-11-24T10:30"));
    await r.say("/outage update INC-1", {
      form: { stage: "diagnostic", nextAction: "Basculer", cause: "Disque saturé", estimate: "12:00" },
    });
    r.clock.set(paris("2026-11-24T10:45"));
    await r.say("/outage update INC-1", {
      form: { stage: "validation", nextAction: "Tester", cause: "Synchronisation longue", estimate: "demain 09:00" },
    });
    await r.dispatcher.flush();
    const delay = r.out.to("support").at(-1)!;
    expect(times(delay).length).toBeGreaterThanOrEqual(3);
    expect(zoneMentions(delay, "heure de Paris")).toBe(1);
    expect(delay).toContain("mer. 25 nov. 09:00");
  });

  it("GIVEN the same outage in English THEN the reply reads 'Paris time', once", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    const declared = await r.text("/outage declare", { form: P1_OUTAGE_FORM, lang: "en" });
    expect(declared).toContain("Next update: 11:00 (Paris time).");
    expect(zoneMentions(declared, "Paris time")).toBe(1);
  });
});

describe("the zone as people say it, the date relative to the injected clock", () => {
  const now = paris("2026-11-24T23:59");
  it("GIVEN times today and tomorrow in Paris THEN only tomorrow's shows its date; the first states the zone", () => {
    const fr = texts("fr", ZONE).moments(now);
    expect(fr(paris("2026-11-24T08:00"))).toBe("08:00 (heure de Paris)");
    expect(fr(paris("2026-11-25T00:01"))).toBe("mer. 25 nov. 00:01");
    const en = texts("en", ZONE).moments(now);
    expect(en(paris("2026-11-25T00:01"))).toBe("Wed 25 Nov 00:01 (Paris time)");
    expect(en(paris("2026-11-24T08:00"))).toBe("08:00");
  });

  it("GIVEN other zones THEN their city is named (elided in French), UTC as UTC", () => {
    const at = paris("2026-11-24T10:00");
    expect(texts("fr", "America/New_York").moments(at)(at)).toBe("04:00 (heure de New York)");
    expect(texts("fr", "Europe/Amsterdam").moments(at)(at)).toBe("10:00 (heure d’Amsterdam)");
    expect(texts("en", "UTC").moments(at)(at)).toBe("09:00 (UTC)");
  });
});

describe("plurals through Intl.PluralRules, in both catalogs", () => {
  it.each([
    [0, "fr", "Annonce en file d’envoi pour 0 canal : "],
    [1, "fr", "Annonce en file d’envoi pour 1 canal : "],
    [2, "fr", "Annonce en file d’envoi pour 2 canaux : "],
    [0, "en", "Announcement queued for 0 channels: "],
    [1, "en", "Announcement queued for 1 channel: "],
    [2, "en", "Announcement queued for 2 channels: "],
  ] as const)("GIVEN %i channel(s) in %s THEN %s", (count, lang, expected) => {
    expect(t(lang, "outage.declared", { ref: "INC-1", count, channels: "", next: "11:00" })).toContain(expected);
  });

  it.each([
    [1, "fr", "1 jour ouvré"],
    [2, "fr", "2 jours ouvrés"],
    [1, "en", "1 business day"],
    [2, "en", "2 business days"],
  ] as const)("GIVEN %i business day(s) in %s THEN %s", (n, lang, expected) => {
    expect(t(lang, "duration.bd", { n })).toBe(expected);
  });

  it("GIVEN an outage on one channel, then on two THEN the replies say 'canal', then 'canaux' (and 'channel', 'channels')", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    const one = await r.text("/outage declare", { form: { ...P1_OUTAGE_FORM, channels: "#support" } });
    expect(one).toContain("Annonce en file d’envoi pour 1 canal : #support ;");
    const two = await r.text("/outage declare", {
      form: { ...P1_OUTAGE_FORM, title: "VPN coupé" },
      lang: "en",
    });
    expect(two).toContain("Announcement queued for 2 channels: #support, #compta;");
    for (const text of [one, two]) expect(text).not.toMatch(/\((?:s|aux|x)\)/);
  });
});
