import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { parseTimeInput } from "../../src/kit/time-input.ts";

const zone = "Europe/Paris";
// Tuesday 10 March 2026, 10:15 in Paris (UTC+1).
const now = DateTime.fromISO("2026-03-10T09:15:00Z");

/** The parsed time as read in Paris, or undefined. */
function paris(text: string, at = now): string | undefined {
  return parseTimeInput(text, at, zone)?.setZone(zone).toFormat("yyyy-MM-dd HH:mm:ss");
}

describe("parseTimeInput", () => {
  it.each([
    ["14:30", "2026-03-10 14:30:00"],
    ["14h30", "2026-03-10 14:30:00"],
    ["14h", "2026-03-10 14:00:00"],
    ["9h", "2026-03-10 09:00:00"],
    ["9:05", "2026-03-10 09:05:00"],
    ["à 14h", "2026-03-10 14:00:00"],
    ["at 14:30", "2026-03-10 14:30:00"],
    ["aujourd'hui 18h", "2026-03-10 18:00:00"],
    ["today 18:00", "2026-03-10 18:00:00"],
    ["demain 9:00", "2026-03-11 09:00:00"],
    ["Demain à 9h", "2026-03-11 09:00:00"],
    ["tomorrow 09:00", "2026-03-11 09:00:00"],
    ["2026-12-01 10:00", "2026-12-01 10:00:00"],
    ["2026-12-01T10:00", "2026-12-01 10:00:00"],
    ["2026-12-01 10h", "2026-12-01 10:00:00"],
    ["  14:30  ", "2026-03-10 14:30:00"],
  ])("reads %s in the policy's zone", (text, expected) => {
    expect(paris(text)).toBe(expected);
  });

  it("reads the clock in the zone: 14:30 is Paris time, not UTC", () => {
    expect(parseTimeInput("14:30", now, zone)?.toUTC().toISO()).toBe("2026-03-10T13:30:00.000Z");
    expect(parseTimeInput("2026-07-01 10:00", now, zone)?.toUTC().toISO()).toBe("2026-07-01T08:00:00.000Z");
  });

  it("takes today and tomorrow from the day in Paris, not in UTC", () => {
    // 23:30 UTC on 10 March is already 00:30 on 11 March in Paris.
    const lateEvening = DateTime.fromISO("2026-03-10T23:30:00Z");
    expect(paris("14:30", lateEvening)).toBe("2026-03-11 14:30:00");
    expect(paris("demain 9:00", lateEvening)).toBe("2026-03-12 09:00:00");
  });

  it("keeps the wall-clock hour across a change to summer time", () => {
    // Saturday 28 March 2026; the clocks go forward on Sunday 29 March.
    const saturday = DateTime.fromISO("2026-03-28T12:00:00Z");
    expect(parseTimeInput("demain 9:00", saturday, zone)?.toUTC().toISO()).toBe("2026-03-29T07:00:00.000Z");
  });

  it.each([
    ["+90m", { minutes: 90 }],
    ["+15min", { minutes: 15 }],
    ["+ 15 min", { minutes: 15 }],
    ["+2h", { hours: 2 }],
    ["+1j", { days: 1 }],
    ["+1d", { days: 1 }],
    ["+3J", { days: 3 }],
  ])("reads %s as a delay from now", (text, delay) => {
    expect(parseTimeInput(text, now, zone)?.toMillis()).toBe(now.plus(delay).toMillis());
  });

  it.each([
    "25:00",
    "24:00",
    "14:60",
    "2026-02-30 10:00",
    "2026-13-01 10:00",
    "demain",
    "14",
    "+5y",
    "+m",
    "-2h",
    "hier 9:00",
    "nonsense",
    "",
  ])("returns undefined for %j", (text) => {
    expect(parseTimeInput(text, now, zone)).toBeUndefined();
  });
});
