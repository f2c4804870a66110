import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { PolicyError, loadPolicy, parsePolicy } from "../../src/config/policy.ts";
import { assertBusinessDaysAhead, BusinessCalendar } from "../../src/sla/calendar.ts";
import { LUNCH_HOURS, POLICY_PATH, defaultPolicy, iso, paris, rawPolicy, variant } from "../support/fixtures.ts";

// Dates used below (Europe/Paris): 2026-11-20 Fri, 2026-11-23 Mon, 2026-11-24 Tue, 2026-11-25 Wed;
// 2026-11-11 Wed (Armistice), 2026-12-25 Fri (Christmas), 2027-01-01 Fri, 2027-03-29 Mon (Easter Monday).
const cal = new BusinessCalendar(defaultPolicy());

describe("BusinessCalendar — business days and opening hours (default policy)", () => {
  it("GIVEN a Monday, a Saturday, a Sunday and the French holidays THEN only the plain weekday is a business day", () => {
    expect(cal.isBusinessDay(paris("2026-11-23T12:00"))).toBe(true);
    expect(cal.isBusinessDay(paris("2026-11-21T12:00"))).toBe(false);
    expect(cal.isBusinessDay(paris("2026-11-22T12:00"))).toBe(false);
    expect(cal.isBusinessDay(paris("2026-11-11T12:00"))).toBe(false);
    expect(cal.isBusinessDay(paris("2026-12-25T12:00"))).toBe(false);
    expect(cal.isBusinessDay(paris("2027-01-01T12:00"))).toBe(false);
  });

  it("GIVEN an instant expressed in UTC THEN the business day is judged on the Paris date", () => {
    // 2026-11-10T23:30Z is already Wednesday 11 November (a holiday) in Paris.
    expect(cal.isBusinessDay(DateTime.fromISO("2026-11-10T23:30:00Z", { zone: "utc" }))).toBe(false);
    // 2026-11-22T23:30Z (Sunday in UTC) is Monday 00:30 in Paris.
    expect(cal.isBusinessDay(DateTime.fromISO("2026-11-22T23:30:00Z", { zone: "utc" }))).toBe(true);
  });

  it("GIVEN the opening hours 08:00-18:00 THEN opening is inclusive and closing exclusive", () => {
    expect(cal.isOpen(paris("2026-11-24T07:59"))).toBe(false);
    expect(cal.isOpen(paris("2026-11-24T08:00"))).toBe(true);
    expect(cal.isOpen(paris("2026-11-24T17:59"))).toBe(true);
    expect(cal.isOpen(paris("2026-11-24T18:00"))).toBe(false);
    expect(cal.isOpen(paris("2026-11-11T10:00"))).toBe(false);
  });

  it("GIVEN a business day THEN intervalsOn gives its local opening hours; GIVEN a holiday THEN none", () => {
    const [i, ...rest] = cal.intervalsOn(paris("2026-11-24T15:00"));
    expect(rest).toEqual([]);
    expect(iso(i!.start)).toBe("2026-11-24T08:00:00.000+01:00");
    expect(iso(i!.end)).toBe("2026-11-24T18:00:00.000+01:00");
    expect(cal.intervalsOn(paris("2026-12-25T10:00"))).toEqual([]);
  });
});

describe("BusinessCalendar.nextOpening", () => {
  it("GIVEN an open instant THEN it is returned unchanged", () => {
    expect(iso(cal.nextOpening(paris("2026-11-24T10:17")))).toBe("2026-11-24T10:17:00.000+01:00");
  });

  it("GIVEN an instant before opening THEN the same day's 08:00", () => {
    expect(iso(cal.nextOpening(paris("2026-11-24T06:30")))).toBe("2026-11-24T08:00:00.000+01:00");
  });

  it("GIVEN exactly the closing time on a Friday THEN Monday's 08:00", () => {
    expect(iso(cal.nextOpening(paris("2026-11-20T18:00")))).toBe("2026-11-23T08:00:00.000+01:00");
  });

  it("GIVEN a Saturday THEN Monday's 08:00", () => {
    expect(iso(cal.nextOpening(paris("2026-11-21T11:00")))).toBe("2026-11-23T08:00:00.000+01:00");
  });

  it("GIVEN Christmas Eve evening THEN Christmas (holiday) and the weekend are skipped: Monday 28 at 08:00", () => {
    expect(iso(cal.nextOpening(paris("2026-12-24T18:30")))).toBe("2026-12-28T08:00:00.000+01:00");
  });

  it("GIVEN New Year's Eve evening THEN 1 January (holiday, Friday) and the weekend are skipped: Monday 4 at 08:00", () => {
    expect(iso(cal.nextOpening(paris("2026-12-31T19:00")))).toBe("2027-01-04T08:00:00.000+01:00");
  });

  it("GIVEN an instant given in UTC THEN the result is expressed in the Paris zone", () => {
    const t = cal.nextOpening(DateTime.fromISO("2026-11-21T10:00:00Z", { zone: "utc" }));
    expect(t.zoneName).toBe("Europe/Paris");
    expect(t.toISO()).toBe("2026-11-23T08:00:00.000+01:00");
  });
});

describe("BusinessCalendar.clockStart — the 16:00 cut-off", () => {
  it("GIVEN a request on Tuesday 15:59 (before the cut-off) THEN its clock starts at once", () => {
    expect(iso(cal.clockStart(paris("2026-11-24T15:59")))).toBe("2026-11-24T15:59:00.000+01:00");
  });

  it("GIVEN a request on Tuesday at exactly 16:00 THEN its clock starts Wednesday 08:00", () => {
    expect(iso(cal.clockStart(paris("2026-11-24T16:00")))).toBe("2026-11-25T08:00:00.000+01:00");
  });

  it("GIVEN a request on Tuesday 16:30 (after the cut-off, still open) THEN its clock starts Wednesday 08:00", () => {
    expect(iso(cal.clockStart(paris("2026-11-24T16:30")))).toBe("2026-11-25T08:00:00.000+01:00");
  });

  it("GIVEN a request on Tuesday 16:30 Paris given as a UTC instant (15:30Z) THEN the cut-off is judged in Paris time", () => {
    const t = DateTime.fromISO("2026-11-24T15:30:00Z", { zone: "utc" });
    expect(iso(cal.clockStart(t))).toBe("2026-11-25T08:00:00.000+01:00");
  });

  it("GIVEN a request on Friday 16:30 THEN its clock starts Monday 08:00", () => {
    expect(iso(cal.clockStart(paris("2026-11-20T16:30")))).toBe("2026-11-23T08:00:00.000+01:00");
  });

  it("GIVEN a request on Tuesday 10 November 17:00, the eve of a holiday THEN its clock starts Thursday 12 at 08:00", () => {
    expect(iso(cal.clockStart(paris("2026-11-10T17:00")))).toBe("2026-11-12T08:00:00.000+01:00");
  });

  it("GIVEN a request before opening (07:00) THEN its clock starts at 08:00 the same day", () => {
    expect(iso(cal.clockStart(paris("2026-11-24T07:00")))).toBe("2026-11-24T08:00:00.000+01:00");
  });

  it("GIVEN a request on a Saturday afternoon THEN its clock starts Monday 08:00", () => {
    expect(iso(cal.clockStart(paris("2026-11-21T17:00")))).toBe("2026-11-23T08:00:00.000+01:00");
  });

  it("GIVEN a policy without cut-off THEN a request at 16:30 starts its clock at once", () => {
    const noCutoff = new BusinessCalendar(variant({ cutoff: null }));
    expect(iso(noCutoff.clockStart(paris("2026-11-24T16:30")))).toBe("2026-11-24T16:30:00.000+01:00");
  });
});

describe("BusinessCalendar.addMinutes — forward", () => {
  it("GIVEN Friday 15:00 plus 2 business hours THEN Friday 17:00 (fits in the day)", () => {
    expect(iso(cal.addMinutes(paris("2026-11-20T15:00"), 120))).toBe("2026-11-20T17:00:00.000+01:00");
  });

  it("GIVEN Friday 17:00 plus 2 business hours THEN Monday 09:00 (1 h Friday, weekend skipped, 1 h Monday)", () => {
    expect(iso(cal.addMinutes(paris("2026-11-20T17:00"), 120))).toBe("2026-11-23T09:00:00.000+01:00");
  });

  it("GIVEN Friday 16:00 plus exactly the 2 h left in the day THEN due at Friday's closing 18:00, not Monday", () => {
    expect(iso(cal.addMinutes(paris("2026-11-20T16:00"), 120))).toBe("2026-11-20T18:00:00.000+01:00");
  });

  it("GIVEN a Saturday plus 30 business minutes THEN Monday 08:30", () => {
    expect(iso(cal.addMinutes(paris("2026-11-21T09:00"), 30))).toBe("2026-11-23T08:30:00.000+01:00");
  });

  it("GIVEN Tuesday 10 November 12:00 plus 8 business hours THEN Thursday 12 at 10:00 (the 11th is a holiday)", () => {
    expect(iso(cal.addMinutes(paris("2026-11-10T12:00"), 480))).toBe("2026-11-12T10:00:00.000+01:00");
  });

  it("GIVEN 0 minutes from an open instant THEN the instant itself", () => {
    expect(iso(cal.addMinutes(paris("2026-11-24T10:00"), 0))).toBe("2026-11-24T10:00:00.000+01:00");
  });

  it("GIVEN Monday 08:00 plus a whole business week (3000 min) THEN Friday's closing 18:00, not the next Monday", () => {
    // 5 days × 600 min end exactly at Friday 18:00.
    expect(iso(cal.addMinutes(paris("2026-11-23T08:00"), 3000))).toBe("2026-11-27T18:00:00.000+01:00");
  });
});

describe("BusinessCalendar.addMinutes — negative (walking backwards)", () => {
  it("GIVEN Monday 09:00 minus 2 business hours THEN Friday 17:00", () => {
    expect(iso(cal.addMinutes(paris("2026-11-23T09:00"), -120))).toBe("2026-11-20T17:00:00.000+01:00");
  });

  it("GIVEN Monday 09:00 minus exactly the hour since opening THEN Monday 08:00, not Friday 18:00", () => {
    expect(iso(cal.addMinutes(paris("2026-11-23T09:00"), -60))).toBe("2026-11-23T08:00:00.000+01:00");
  });

  it("GIVEN Thursday 12 November 09:00 minus 2 business hours THEN Tuesday 10 at 17:00 (the holiday is skipped)", () => {
    expect(iso(cal.addMinutes(paris("2026-11-12T09:00"), -120))).toBe("2026-11-10T17:00:00.000+01:00");
  });

  it("GIVEN a Sunday minus 30 business minutes THEN Friday 17:30", () => {
    expect(iso(cal.addMinutes(paris("2026-11-22T12:00"), -30))).toBe("2026-11-20T17:30:00.000+01:00");
  });

  it("GIVEN Monday 2027-01-04 10:00 minus 3 business hours THEN Thursday 2026-12-31 17:00 (New Year's Day skipped)", () => {
    expect(iso(cal.addMinutes(paris("2027-01-04T10:00"), -180))).toBe("2026-12-31T17:00:00.000+01:00");
  });
});

describe("BusinessCalendar.minutesBetween", () => {
  it("GIVEN Friday 17:00 to Monday 09:00 THEN 120 business minutes", () => {
    expect(cal.minutesBetween(paris("2026-11-20T17:00"), paris("2026-11-23T09:00"))).toBe(120);
  });

  it("GIVEN two instants in the same open interval THEN their real difference", () => {
    expect(cal.minutesBetween(paris("2026-11-24T09:15"), paris("2026-11-24T11:45"))).toBe(150);
  });

  it("GIVEN b before or equal to a THEN 0", () => {
    expect(cal.minutesBetween(paris("2026-11-24T12:00"), paris("2026-11-24T10:00"))).toBe(0);
    expect(cal.minutesBetween(paris("2026-11-24T12:00"), paris("2026-11-24T12:00"))).toBe(0);
  });

  it("GIVEN a whole plain week THEN 5 × 600 minutes; GIVEN the week of 11 November THEN 4 × 600", () => {
    expect(cal.minutesBetween(paris("2026-11-23T00:00"), paris("2026-11-30T00:00"))).toBe(3000);
    expect(cal.minutesBetween(paris("2026-11-09T00:00"), paris("2026-11-16T00:00"))).toBe(2400);
  });

  it("GIVEN a weekend-only span THEN 0", () => {
    expect(cal.minutesBetween(paris("2026-11-20T18:00"), paris("2026-11-23T08:00"))).toBe(0);
  });

  it("GIVEN a span with an addMinutes result THEN minutesBetween gives the minutes back", () => {
    const from = paris("2026-11-10T14:20");
    expect(cal.minutesBetween(from, cal.addMinutes(from, 1234))).toBe(1234);
  });
});

describe("BusinessCalendar.addBusinessDays", () => {
  it("GIVEN Monday 10:00 plus 2 business days THEN Wednesday 10:00 (same time of day)", () => {
    expect(iso(cal.addBusinessDays(paris("2026-11-23T10:00"), 2))).toBe("2026-11-25T10:00:00.000+01:00");
  });

  it("GIVEN Thursday 14:00 plus 2 business days THEN Monday 14:00 (weekend skipped)", () => {
    expect(iso(cal.addBusinessDays(paris("2026-11-26T14:00"), 2))).toBe("2026-11-30T14:00:00.000+01:00");
  });

  it("GIVEN Tuesday 10 November 10:00 plus 2 business days THEN Friday 13 at 10:00 (the 11th is a holiday)", () => {
    expect(iso(cal.addBusinessDays(paris("2026-11-10T10:00"), 2))).toBe("2026-11-13T10:00:00.000+01:00");
  });

  it("GIVEN a Saturday plus 1 business day THEN counted from Monday's opening: Tuesday 08:00", () => {
    expect(iso(cal.addBusinessDays(paris("2026-11-21T15:00"), 1))).toBe("2026-11-24T08:00:00.000+01:00");
  });

  it("GIVEN Monday 28 December 08:00 plus 5 business days THEN Tuesday 5 January 08:00 (1 January skipped)", () => {
    expect(iso(cal.addBusinessDays(paris("2026-12-28T08:00"), 5))).toBe("2027-01-05T08:00:00.000+01:00");
  });
});

describe("BusinessCalendar — daylight-saving changes in Europe/Paris", () => {
  it("GIVEN Friday 17:00 before the fall-back (2026-10-25) plus 8 business hours THEN Monday 15:00 at the new offset +01:00", () => {
    const due = cal.addMinutes(paris("2026-10-23T17:00"), 480);
    expect(iso(due)).toBe("2026-10-26T15:00:00.000+01:00");
    expect(due.offset).toBe(60);
  });

  it("GIVEN Friday 17:00 before the spring-forward (2027-03-28) plus 8 business hours, Easter Monday closed THEN Tuesday 15:00 at +02:00", () => {
    expect(iso(cal.addMinutes(paris("2027-03-26T17:00"), 480))).toBe("2027-03-30T15:00:00.000+02:00");
  });

  it("GIVEN opening hours on the spring-forward Sunday 00:00-06:00 THEN that day holds only 5 real business hours", () => {
    const sunday = new BusinessCalendar(
      variant({ businessHours: { ...(rawPolicy().businessHours as object), sun: ["00:00-06:00"] }, holidays: [] }),
    );
    expect(sunday.minutesBetween(paris("2027-03-28T00:00"), paris("2027-03-28T23:00"))).toBe(300);
    // 01:30 +01:00 plus 60 real minutes is 03:30 +02:00.
    expect(iso(sunday.addMinutes(paris("2027-03-28T01:30"), 60))).toBe("2027-03-28T03:30:00.000+02:00");
  });

  it("GIVEN opening hours on the fall-back Sunday 00:00-06:00 THEN that day holds 7 real business hours", () => {
    const sunday = new BusinessCalendar(
      variant({ businessHours: { ...(rawPolicy().businessHours as object), sun: ["00:00-06:00"] }, holidays: [] }),
    );
    expect(sunday.minutesBetween(paris("2026-10-25T00:00"), paris("2026-10-25T23:00"))).toBe(420);
    expect(iso(sunday.addMinutes(paris("2026-10-25T00:00"), 420))).toBe("2026-10-25T06:00:00.000+01:00");
  });
});

describe("BusinessCalendar — lunch-break policy (08:00-12:00, 13:00-17:00)", () => {
  const lunch = new BusinessCalendar(variant({ businessHours: LUNCH_HOURS }));

  it("GIVEN 12:30 THEN closed and the next opening is 13:00", () => {
    expect(lunch.isOpen(paris("2026-11-24T12:30"))).toBe(false);
    expect(lunch.isOpen(paris("2026-11-24T13:00"))).toBe(true);
    expect(iso(lunch.nextOpening(paris("2026-11-24T12:30")))).toBe("2026-11-24T13:00:00.000+01:00");
  });

  it("GIVEN 11:30 plus 60 business minutes THEN 13:30 (the lunch hour does not count)", () => {
    expect(iso(lunch.addMinutes(paris("2026-11-24T11:30"), 60))).toBe("2026-11-24T13:30:00.000+01:00");
  });

  it("GIVEN 13:15 minus 30 business minutes THEN 11:45", () => {
    expect(iso(lunch.addMinutes(paris("2026-11-24T13:15"), -30))).toBe("2026-11-24T11:45:00.000+01:00");
  });

  it("GIVEN 11:00 to 14:00 THEN 120 business minutes", () => {
    expect(lunch.minutesBetween(paris("2026-11-24T11:00"), paris("2026-11-24T14:00"))).toBe(120);
  });

  it("GIVEN Friday 16:00 plus 2 business hours THEN Monday 09:00 (closing is 17:00)", () => {
    expect(iso(lunch.addMinutes(paris("2026-11-20T16:00"), 120))).toBe("2026-11-23T09:00:00.000+01:00");
  });

  it("GIVEN Monday 12:30 (lunch) plus 1 business day THEN counted from 13:00: Tuesday 13:00", () => {
    expect(iso(lunch.addBusinessDays(paris("2026-11-23T12:30"), 1))).toBe("2026-11-24T13:00:00.000+01:00");
  });

  it("GIVEN a target day whose same time falls in its lunch break THEN the afternoon opening", () => {
    // Monday open 08:00-18:00 without a break; Tuesday with a lunch break.
    const mixed = new BusinessCalendar(variant({ businessHours: { ...LUNCH_HOURS, mon: ["08:00-18:00"] } }));
    expect(iso(mixed.addBusinessDays(paris("2026-11-23T12:30"), 1))).toBe("2026-11-24T13:00:00.000+01:00");
  });

  it("GIVEN a target day that closes before the same time of day THEN its closing time", () => {
    const shortFriday = new BusinessCalendar(variant({ businessHours: { ...LUNCH_HOURS, fri: ["08:00-12:00"] } }));
    expect(iso(shortFriday.addBusinessDays(paris("2026-11-19T16:30"), 1))).toBe("2026-11-20T12:00:00.000+01:00");
  });
});

/** The message of the PolicyError a policy is refused with (failing the test when it is accepted). */
function reject(raw: unknown): string {
  try {
    parsePolicy(raw, "test.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message;
  }
  throw new Error("parsePolicy accepted an invalid policy");
}

describe("parsePolicy", () => {
  it("GIVEN the shipped config/policy.yaml THEN it is accepted with the documented values", () => {
    const p = loadPolicy(POLICY_PATH);
    expect(p.timezone).toBe("Europe/Paris");
    expect(p.cutoff).toBe("16:00");
    expect(p.businessHours.mon).toEqual(["08:00-18:00"]);
    expect(p.businessHours.sat).toEqual([]);
    expect(p.holidays).toEqual({ country: "FR", region: null, extra: [], except: [] });
    expect(p.sla.P1.clock).toBe("24/7");
    expect(p.sla.P1.resolution).toBe("ASAP");
    expect(p.sla.P2.firstResponse).toMatchObject({ unit: "h", max: 2 });
    expect(p.sla.P2.resolution).toMatchObject({ unit: "bd", min: 1, max: 2 });
    expect(p.sla.P3.resolution).toMatchObject({ unit: "bd", min: 3, max: 5 });
    expect(p.sla.P3.warnBefore).toMatchObject({ unit: "h", max: 1 });
  });

  it("GIVEN the raw defaults THEN parsePolicy accepts them", () => {
    expect(() => parsePolicy(rawPolicy())).not.toThrow();
  });

  it("GIVEN a bad P2 first-response duration THEN the error names sla.P2.firstResponse and the source", () => {
    const base = rawPolicy();
    const sla = base.sla as Record<string, Record<string, string>>;
    const msg = reject({ ...base, sla: { ...sla, P2: { ...sla.P2, firstResponse: "2 hours" } } });
    expect(msg).toContain("test.yaml");
    expect(msg).toContain("sla.P2.firstResponse");
    expect(msg).toContain('"2 hours" is not a duration');
  });

  it("GIVEN an unknown time zone THEN the error names timezone", () => {
    const msg = reject(rawPolicy({ timezone: "Europe/Pariss" }));
    expect(msg).toMatch(/^\s+- timezone: not a known IANA time zone$/m);
  });

  it("GIVEN a Monday range that ends before it starts THEN the error names businessHours.mon", () => {
    const msg = reject(rawPolicy({ businessHours: { ...LUNCH_HOURS, mon: ["18:00-08:00"] } }));
    expect(msg).toContain("businessHours.mon");
    expect(msg).toContain("a range must end after it starts");
  });

  it("GIVEN a Monday range with an impossible hour THEN the error names businessHours.mon", () => {
    expect(reject(rawPolicy({ businessHours: { ...LUNCH_HOURS, mon: ["08:00-25:00"] } }))).toContain(
      "businessHours.mon",
    );
  });

  it("GIVEN no business hours on any day THEN rejected on businessHours", () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(reject(rawPolicy({ businessHours: closed }))).toMatch(/businessHours: at least one day/);
  });

  it("GIVEN a malformed cut-off, holiday or clock THEN each field is named", () => {
    expect(reject(rawPolicy({ cutoff: "4pm" }))).toContain("cutoff");
    expect(reject(rawPolicy({ holidays: ["25/12/2026"] }))).toContain("holidays.0");
    const base = rawPolicy();
    const sla = base.sla as Record<string, Record<string, string>>;
    expect(reject({ ...base, sla: { ...sla, P1: { ...sla.P1, clock: "always" } } })).toContain("sla.P1.clock");
  });

  it("GIVEN a missing P3 row THEN the error names sla.P3", () => {
    const base = rawPolicy();
    const { P3: _dropped, ...sla } = base.sla as Record<string, unknown>;
    expect(reject({ ...base, sla })).toContain("sla.P3");
  });

  it("GIVEN holidays given as YAML dates (Date objects) THEN they are kept as YYYY-MM-DD", () => {
    const p = parsePolicy(rawPolicy({ holidays: [new Date("2026-12-25T00:00:00Z")] }));
    expect(p.holidays).toEqual(["2026-12-25"]);
  });
});

describe("policy validation of hours and holidays", () => {
  it("GIVEN overlapping or unordered ranges on a day THEN the policy is refused naming the day", () => {
    expect(() => variant({ businessHours: { mon: ["08:00-12:00", "11:00-14:00"] } })).toThrow(
      /businessHours\.mon\.1: ranges must be in order/,
    );
    expect(() => variant({ businessHours: { mon: ["13:00-17:00", "08:00-12:00"] } })).toThrow(/businessHours\.mon\.1/);
  });
  it("GIVEN an impossible holiday date THEN the policy is refused naming it", () => {
    expect(() => variant({ holidays: ["2026-13-45"] })).toThrow(/holidays\.0: expected a real date/);
  });
});

describe("policy sanity (issue 13): a policy that could only misbehave stops the start", () => {
  const row = (priority: string, patch: Record<string, string>) => {
    const base = rawPolicy();
    const sla = base.sla as Record<string, Record<string, string>>;
    return { ...base, sla: { ...sla, [priority]: { ...sla[priority], ...patch } } };
  };

  it("GIVEN a warnBefore as long as the first response THEN the error names sla.P2.warnBefore", () => {
    const msg = reject(row("P2", { firstResponse: "2h", warnBefore: "2h" }));
    expect(msg).toMatch(/^\s+- sla\.P2\.warnBefore: 2h is not shorter than firstResponse \(2h\)/m);
  });

  it("GIVEN a warnBefore longer than the lower bound of a business-day resolution range THEN it is refused", () => {
    // A business day is the shortest opening (10 h on the shipped calendar): 11h ≥ 1bd.
    expect(reject(row("P2", { resolution: "1-2bd", warnBefore: "11h" }))).toContain("sla.P2.warnBefore");
    expect(() => parsePolicy(row("P2", { resolution: "1-2bd", warnBefore: "90m" }))).not.toThrow();
  });

  it("GIVEN a 24/7 row THEN a bd is 24 h and ASAP has no deadline to warn before", () => {
    expect(reject(row("P1", { warnBefore: "1h", firstResponse: "30m" }))).toContain("sla.P1.warnBefore");
    expect(() => parsePolicy(row("P1", { warnBefore: "20m", resolution: "ASAP" }))).not.toThrow();
  });

  it("GIVEN manager ids that are names or lack their platform THEN the error names each one", () => {
    const msg = reject(rawPolicy({ managers: { users: ["U0123ABCD", "slack:U0123ABCD", "@ana", "Ana Martin"] } }));
    expect(msg).toContain("managers.users.0");
    expect(msg).not.toContain("managers.users.1");
    expect(msg).toContain("managers.users.2");
    expect(msg).toContain("managers.users.3");
    expect(msg).toContain('expected "slack:U0123ABCD"');
  });

  it("GIVEN a Discord role given by name THEN the error asks for its id", () => {
    expect(reject(rawPolicy({ managers: { users: [], role: "helpdesk-managers" } }))).toMatch(
      /managers\.role: expected a Discord role id/,
    );
    expect(() =>
      parsePolicy(
        rawPolicy({ managers: { users: ["discord:123456789012345678", "shell:ana"], role: "600000000000000001" } }),
      ),
    ).not.toThrow();
  });

  it("GIVEN open only on Saturdays and every Saturday of the next month a holiday THEN no business day in 30 days", () => {
    const saturdays = ["2026-11-28", "2026-12-05", "2026-12-12", "2026-12-19", "2026-12-26"];
    const policy = variant({ businessHours: { sat: ["09:00-12:00"] }, holidays: saturdays, cutoff: null });
    const now = paris("2026-11-27T10:00");
    expect(() => assertBusinessDaysAhead(policy, now, 30, "test.yaml")).toThrow(PolicyError);
    expect(() => assertBusinessDaysAhead(policy, now, 30, "test.yaml")).toThrow(
      /test\.yaml:\n\s+- businessHours, holidays: no business day in the 30 days from 2026-11-27/,
    );
    // One Saturday left open within the 30 days is enough.
    const open = variant({ businessHours: { sat: ["09:00-12:00"] }, holidays: saturdays.slice(0, 4), cutoff: null });
    expect(() => assertBusinessDaysAhead(open, now, 30)).not.toThrow();
  });
});
