import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../src/sla/calendar.ts";
import {
  addDuration,
  durationMillis,
  parseDuration,
  parseTarget,
  subtractDuration,
  type PolicyDuration,
} from "../../src/sla/duration.ts";
import { defaultPolicy, iso, paris } from "../support/fixtures.ts";

// Dates (Europe/Paris): 2026-11-20 Fri, 2026-11-23 Mon, 2026-11-24 Tue; 2026-11-11 Wed is a holiday;
// DST fall back Sunday 2026-10-25 03:00→02:00.
const calendar = new BusinessCalendar(defaultPolicy());
const d = (text: string): PolicyDuration => {
  const parsed = parseDuration(text);
  if (!parsed) throw new Error(`not a duration: ${text}`);
  return parsed;
};

describe("durationMillis — a policy duration as elapsed time", () => {
  it("GIVEN s, m, h THEN seconds stay seconds, minutes minutes, hours hours", () => {
    expect(durationMillis(d("30s"))).toBe(30_000);
    expect(durationMillis(d("30m"))).toBe(30 * 60_000);
    expect(durationMillis(d("30min"))).toBe(30 * 60_000);
    expect(durationMillis(d("72h"))).toBe(72 * 3_600_000);
  });

  it("GIVEN bd without a calendar THEN a business day is 24 h", () => {
    expect(durationMillis(d("2bd"))).toBe(48 * 3_600_000);
  });

  it("GIVEN a range THEN the upper bound counts (the lower one on request)", () => {
    expect(durationMillis(d("1-2bd"))).toBe(48 * 3_600_000);
    expect(durationMillis(d("1-2bd"), "min")).toBe(24 * 3_600_000);
  });
});

describe("addDuration / subtractDuration — without a calendar (elapsed time)", () => {
  it("GIVEN 30s THEN 30 seconds later, not 30 minutes", () => {
    expect(iso(addDuration(paris("2026-11-24T10:00"), d("30s")))).toBe("2026-11-24T10:00:30.000+01:00");
  });

  it("GIVEN 30m and 72h THEN that many minutes and hours of elapsed time", () => {
    expect(iso(addDuration(paris("2026-11-24T10:00"), d("30m")))).toBe("2026-11-24T10:30:00.000+01:00");
    expect(iso(addDuration(paris("2026-11-20T15:00"), d("72h")))).toBe("2026-11-23T15:00:00.000+01:00");
  });

  it("GIVEN 1bd across the DST change THEN 24 h (not the same wall-clock time)", () => {
    expect(iso(addDuration(paris("2026-10-24T12:00"), d("1bd")))).toBe("2026-10-25T11:00:00.000+01:00");
  });

  it("GIVEN 10m subtracted THEN 10 minutes earlier", () => {
    expect(iso(subtractDuration(paris("2026-11-24T10:00"), d("10m")))).toBe("2026-11-24T09:50:00.000+01:00");
  });
});

describe("addDuration / subtractDuration — with the business calendar", () => {
  it("GIVEN 2bd from Friday 15:00 THEN Tuesday 15:00 (the weekend skipped)", () => {
    expect(iso(addDuration(paris("2026-11-20T15:00"), d("2bd"), { calendar }))).toBe("2026-11-24T15:00:00.000+01:00");
  });

  it("GIVEN the range 1-2bd THEN its upper bound: Tuesday 15:00 too", () => {
    expect(iso(addDuration(paris("2026-11-20T15:00"), d("1-2bd"), { calendar }))).toBe("2026-11-24T15:00:00.000+01:00");
  });

  it("GIVEN 7bd subtracted from Tuesday 17 November THEN Thursday 5 November (the 11th is a holiday)", () => {
    expect(iso(subtractDuration(paris("2026-11-17T10:00"), d("7bd"), { calendar }))).toBe(
      "2026-11-05T10:00:00.000+01:00",
    );
  });

  it("GIVEN hours on a rule that only counts business days THEN elapsed hours", () => {
    expect(iso(addDuration(paris("2026-11-20T15:00"), d("72h"), { calendar }))).toBe("2026-11-23T15:00:00.000+01:00");
    expect(iso(addDuration(paris("2026-11-20T15:00"), d("30s"), { calendar }))).toBe("2026-11-20T15:00:30.000+01:00");
  });

  it("GIVEN business hours (a business SLA clock) THEN s, m, h count only open time", () => {
    const business = { calendar, businessHours: true };
    expect(iso(addDuration(paris("2026-11-20T17:00"), d("2h"), business))).toBe("2026-11-23T09:00:00.000+01:00");
    expect(iso(addDuration(paris("2026-11-20T17:59:45"), d("30s"), business))).toBe("2026-11-23T08:00:15.000+01:00");
    expect(iso(subtractDuration(paris("2026-11-23T08:10"), d("30m"), business))).toBe("2026-11-20T17:40:00.000+01:00");
    expect(iso(addDuration(paris("2026-11-20T15:00"), d("2bd"), business))).toBe("2026-11-24T15:00:00.000+01:00");
  });
});

describe("ASAP", () => {
  it("GIVEN ASAP THEN it is a target without a deadline, never a duration", () => {
    expect(parseTarget("ASAP")).toBe("ASAP");
    expect(parseTarget(" asap ")).toBe("ASAP");
    expect(parseDuration("ASAP")).toBeUndefined();
    // @ts-expect-error ASAP has no deadline: it cannot be added to a time.
    expect(() => addDuration(paris("2026-11-24T10:00"), "ASAP")).toThrow();
  });
});
