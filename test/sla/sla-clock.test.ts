import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { SlaClock } from "../../src/sla/sla-clock.ts";
import type { Priority } from "../../src/tickets/priority.ts";
import { LUNCH_HOURS, defaultPolicy, iso, paris, rawPolicy, variant } from "../support/fixtures.ts";

// Dates used below (Europe/Paris): 2026-11-20 Fri, 2026-11-23 Mon, 2026-11-24 Tue, 2026-11-25 Wed;
// 2026-12-24 Thu, 2026-12-25 Fri (holiday), 2027-01-01 Fri (holiday), 2027-03-29 Mon (Easter Monday, holiday);
// DST: spring forward Sunday 2027-03-28 02:00→03:00, fall back Sunday 2026-10-25 03:00→02:00.
const sla = new SlaClock(defaultPolicy());
const noCutoff = new SlaClock(variant({ cutoff: null }));

function deadlines(clock: SlaClock, p: Priority, at: DateTime) {
  const d = clock.deadlines(p, at);
  return {
    clockStart: iso(d.clockStart),
    firstResponseDue: iso(d.firstResponseDue),
    resolutionDue: iso(d.resolutionDue),
  };
}

describe("SlaClock.deadlines — business clocks (P2 2h / 1-2bd, P3 8h / 3-5bd)", () => {
  it("GIVEN P2 opened Friday 15:00 (before the 16:00 cut-off) THEN first response Friday 17:00 and resolution Tuesday 15:00", () => {
    // 3 business hours remain on Friday, so 2 h do not reach the weekend.
    expect(deadlines(sla, "P2", paris("2026-11-20T15:00"))).toEqual({
      clockStart: "2026-11-20T15:00:00.000+01:00",
      firstResponseDue: "2026-11-20T17:00:00.000+01:00",
      resolutionDue: "2026-11-24T15:00:00.000+01:00",
    });
  });

  it("GIVEN a policy without cut-off and P2 opened Friday 17:00 THEN first response Monday 09:00 (2 h spanning the weekend)", () => {
    expect(deadlines(noCutoff, "P2", paris("2026-11-20T17:00"))).toEqual({
      clockStart: "2026-11-20T17:00:00.000+01:00",
      firstResponseDue: "2026-11-23T09:00:00.000+01:00",
      resolutionDue: "2026-11-24T17:00:00.000+01:00",
    });
  });

  it("GIVEN the default policy and P2 opened Friday 17:00 (after the cut-off) THEN clocks start Monday 08:00, first response Monday 10:00", () => {
    expect(deadlines(sla, "P2", paris("2026-11-20T17:00"))).toEqual({
      clockStart: "2026-11-23T08:00:00.000+01:00",
      firstResponseDue: "2026-11-23T10:00:00.000+01:00",
      resolutionDue: "2026-11-25T08:00:00.000+01:00",
    });
  });

  it("GIVEN P3 opened Friday 15:00 THEN first response Monday 13:00 (3 h Friday + 5 h Monday)", () => {
    expect(deadlines(sla, "P3", paris("2026-11-20T15:00")).firstResponseDue).toBe("2026-11-23T13:00:00.000+01:00");
  });

  it("GIVEN P3 received Tuesday 16:30 (after the cut-off) THEN clockStart Wednesday 08:00, first response Wednesday 16:00, resolution 5 business days later", () => {
    expect(deadlines(sla, "P3", paris("2026-11-24T16:30"))).toEqual({
      clockStart: "2026-11-25T08:00:00.000+01:00",
      firstResponseDue: "2026-11-25T16:00:00.000+01:00",
      resolutionDue: "2026-12-02T08:00:00.000+01:00",
    });
  });

  it("GIVEN P3 received Tuesday 15:59 (just before the cut-off) THEN the clock starts at once and first response is Wednesday 13:59", () => {
    expect(deadlines(sla, "P3", paris("2026-11-24T15:59"))).toMatchObject({
      clockStart: "2026-11-24T15:59:00.000+01:00",
      firstResponseDue: "2026-11-25T13:59:00.000+01:00",
    });
  });

  it("GIVEN P2 opened Thursday 2026-12-24 17:00 THEN the cut-off, Christmas and the weekend are skipped: clock Monday 28 08:00", () => {
    expect(deadlines(sla, "P2", paris("2026-12-24T17:00"))).toEqual({
      clockStart: "2026-12-28T08:00:00.000+01:00",
      firstResponseDue: "2026-12-28T10:00:00.000+01:00",
      resolutionDue: "2026-12-30T08:00:00.000+01:00",
    });
  });

  it("GIVEN P3 opened Thursday 2026-12-24 17:00 THEN resolution (5 bd) skips 1 January: Tuesday 2027-01-05 08:00", () => {
    expect(deadlines(sla, "P3", paris("2026-12-24T17:00")).resolutionDue).toBe("2027-01-05T08:00:00.000+01:00");
  });

  it("GIVEN P3 opened Friday 23:59 THEN clock Monday 08:00 and first response Monday 16:00", () => {
    expect(deadlines(sla, "P3", paris("2026-11-20T23:59"))).toMatchObject({
      clockStart: "2026-11-23T08:00:00.000+01:00",
      firstResponseDue: "2026-11-23T16:00:00.000+01:00",
    });
  });
});

describe("SlaClock.deadlines — P1 on the 24/7 clock (30m, ASAP)", () => {
  it("GIVEN P1 opened Friday 23:59 THEN first response Saturday 00:29 and no resolution deadline (ASAP)", () => {
    expect(deadlines(sla, "P1", paris("2026-11-20T23:59"))).toEqual({
      clockStart: "2026-11-20T23:59:00.000+01:00",
      firstResponseDue: "2026-11-21T00:29:00.000+01:00",
      resolutionDue: null,
    });
  });

  it("GIVEN P1 received Tuesday 16:30 THEN the cut-off does not apply: the clock starts at once", () => {
    expect(iso(sla.start("P1", paris("2026-11-24T16:30")))).toBe("2026-11-24T16:30:00.000+01:00");
    expect(iso(sla.deadlines("P1", paris("2026-11-24T16:30")).firstResponseDue)).toBe("2026-11-24T17:00:00.000+01:00");
  });

  it("GIVEN P1 opened on a holiday at 03:00 THEN first response 03:30 the same night", () => {
    expect(iso(sla.deadlines("P1", paris("2026-12-25T03:00")).firstResponseDue)).toBe("2026-12-25T03:30:00.000+01:00");
  });
});

describe("SlaClock — daylight-saving changes in Europe/Paris", () => {
  it("GIVEN a no-cut-off policy and P3 opened Friday 17:00 before the fall-back THEN first response Monday 15:00 at +01:00", () => {
    const d = noCutoff.deadlines("P3", paris("2026-10-23T17:00"));
    expect(iso(d.clockStart)).toBe("2026-10-23T17:00:00.000+02:00");
    expect(iso(d.firstResponseDue)).toBe("2026-10-26T15:00:00.000+01:00");
    expect(d.firstResponseDue.offset).toBe(60);
    expect(noCutoff.remaining("P3", d.clockStart, d.firstResponseDue)).toBe(480);
  });

  it("GIVEN the default policy and P3 opened Friday 17:00 before the fall-back THEN the cut-off applies: Monday 08:00 → 16:00 at +01:00", () => {
    expect(deadlines(sla, "P3", paris("2026-10-23T17:00"))).toMatchObject({
      clockStart: "2026-10-26T08:00:00.000+01:00",
      firstResponseDue: "2026-10-26T16:00:00.000+01:00",
    });
  });

  it("GIVEN no cut-off, no holidays and P3 opened Friday 17:00 before the spring-forward THEN first response Monday 15:00 at +02:00", () => {
    const plain = new SlaClock(variant({ cutoff: null, holidays: [] }));
    const d = plain.deadlines("P3", paris("2027-03-26T17:00"));
    expect(iso(d.clockStart)).toBe("2027-03-26T17:00:00.000+01:00");
    expect(iso(d.firstResponseDue)).toBe("2027-03-29T15:00:00.000+02:00");
    expect(d.firstResponseDue.offset).toBe(120);
  });

  it("GIVEN the default policy and P3 opened Friday 17:00 before the spring-forward THEN the cut-off and Easter Monday push it to Tuesday 16:00 +02:00", () => {
    expect(deadlines(sla, "P3", paris("2027-03-26T17:00"))).toMatchObject({
      clockStart: "2027-03-30T08:00:00.000+02:00",
      firstResponseDue: "2027-03-30T16:00:00.000+02:00",
    });
  });

  it("GIVEN P1 opened at 01:45 on 2027-03-28 (spring-forward night) THEN first response 30 real minutes later: 03:15 +02:00", () => {
    const opened = paris("2027-03-28T01:45");
    expect(opened.offset).toBe(60);
    const due = sla.deadlines("P1", opened).firstResponseDue;
    expect(iso(due)).toBe("2027-03-28T03:15:00.000+02:00");
    expect(due.diff(opened, "minutes").minutes).toBe(30);
  });

  it("GIVEN a P1 update at the first 02:30 of the fall-back night (+02:00) THEN the next update is due 60 real minutes later, the second 02:30 (+01:00)", () => {
    const at = DateTime.fromISO("2026-10-25T00:30:00Z").setZone("Europe/Paris");
    expect(at.toISO()).toBe("2026-10-25T02:30:00.000+02:00");
    const next = sla.nextUpdateDue("P1", at);
    expect(iso(next)).toBe("2026-10-25T02:30:00.000+01:00");
    expect(next.diff(at, "minutes").minutes).toBe(60);
  });

  it("GIVEN a P1 deadline just after the spring-forward gap THEN the warning is 10 real minutes earlier, before the gap", () => {
    const due = paris("2027-03-28T03:05");
    expect(iso(sla.warnAt("P1", due, paris("2027-03-28T00:00")))).toBe("2027-03-28T01:55:00.000+01:00");
  });
});

describe("SlaClock.nextUpdateDue — update cadence", () => {
  it("GIVEN a P2 update Tuesday 16:00 THEN next update in 4 business hours: Wednesday 10:00", () => {
    expect(iso(sla.nextUpdateDue("P2", paris("2026-11-24T16:00")))).toBe("2026-11-25T10:00:00.000+01:00");
  });

  it("GIVEN a P3 update Friday 14:00 THEN next update 1 business day later: Monday 14:00", () => {
    expect(iso(sla.nextUpdateDue("P3", paris("2026-11-20T14:00")))).toBe("2026-11-23T14:00:00.000+01:00");
  });

  it("GIVEN a P1 update Saturday 22:30 THEN next update Saturday 23:30 (24/7)", () => {
    expect(iso(sla.nextUpdateDue("P1", paris("2026-11-21T22:30")))).toBe("2026-11-21T23:30:00.000+01:00");
  });
});

describe("SlaClock.warnAt", () => {
  it("GIVEN a P2 deadline Friday 17:00 THEN the warning is 30 business minutes before: 16:30", () => {
    expect(iso(sla.warnAt("P2", paris("2026-11-20T17:00"), paris("2026-11-20T15:00")))).toBe(
      "2026-11-20T16:30:00.000+01:00",
    );
  });

  it("GIVEN a P2 deadline Monday 08:10 THEN the 30 business minutes reach back over the weekend: Friday 17:40", () => {
    expect(iso(sla.warnAt("P2", paris("2026-11-23T08:10"), paris("2026-11-20T09:00")))).toBe(
      "2026-11-20T17:40:00.000+01:00",
    );
  });

  it("GIVEN a P2 deadline Monday 08:10 whose clock started Monday 08:00 THEN the warning is not before the start: 08:00", () => {
    expect(iso(sla.warnAt("P2", paris("2026-11-23T08:10"), paris("2026-11-23T08:00")))).toBe(
      "2026-11-23T08:00:00.000+01:00",
    );
  });

  it("GIVEN a P3 deadline Monday 16:00 THEN the warning is 1 business hour before: 15:00", () => {
    expect(iso(sla.warnAt("P3", paris("2026-11-23T16:00"), paris("2026-11-23T08:00")))).toBe(
      "2026-11-23T15:00:00.000+01:00",
    );
  });

  it("GIVEN a P1 deadline Saturday 00:29 THEN the warning is 10 real minutes before: 00:19", () => {
    expect(iso(sla.warnAt("P1", paris("2026-11-21T00:29"), paris("2026-11-20T23:59")))).toBe(
      "2026-11-21T00:19:00.000+01:00",
    );
  });

  it("GIVEN a P1 deadline only 5 minutes after its start THEN the warning is at the start", () => {
    expect(iso(sla.warnAt("P1", paris("2026-11-24T10:30"), paris("2026-11-24T10:25")))).toBe(
      "2026-11-24T10:25:00.000+01:00",
    );
  });

  it("GIVEN warnBefore 1bd on a business clock THEN the warning is one business day before, same time of day", () => {
    const raw = rawPolicy().sla as Record<string, Record<string, string>>;
    // Deadlines longer than a business day, as the policy check requires of a 1bd warning.
    const P3 = { ...raw.P3, firstResponse: "2bd", updateEvery: "2bd", warnBefore: "1bd" };
    const daily = new SlaClock(variant({ sla: { ...raw, P3 } }));
    // Deadline Monday 15:00: the warning is Friday 15:00 (the weekend is not a business day).
    expect(iso(daily.warnAt("P3", paris("2026-11-23T15:00"), paris("2026-11-16T08:00")))).toBe(
      "2026-11-20T15:00:00.000+01:00",
    );
  });
});

describe("SlaClock.remaining", () => {
  it("GIVEN Friday 17:00 to Monday 09:00 THEN 120 minutes on the business clock (P2) and 3840 on the 24/7 clock (P1)", () => {
    expect(sla.remaining("P2", paris("2026-11-20T17:00"), paris("2026-11-23T09:00"))).toBe(120);
    expect(sla.remaining("P1", paris("2026-11-20T17:00"), paris("2026-11-23T09:00"))).toBe(3840);
  });

  it("GIVEN a deadline already passed THEN 0 on both clocks", () => {
    expect(sla.remaining("P2", paris("2026-11-23T10:00"), paris("2026-11-23T09:00"))).toBe(0);
    expect(sla.remaining("P1", paris("2026-11-23T10:00"), paris("2026-11-23T09:00"))).toBe(0);
  });
});

describe("SlaClock.carryOver — pause while waiting on the requester", () => {
  it("GIVEN P2 opened Friday 14:00 THEN its first response is due Friday 16:00 (the premise of the next cases)", () => {
    expect(iso(sla.deadlines("P2", paris("2026-11-20T14:00")).firstResponseDue)).toBe("2026-11-20T16:00:00.000+01:00");
  });

  it("GIVEN a P2 first response due Friday 16:00, paused Friday 15:00 (1 business hour left), resumed Monday 10:00 THEN due Monday 11:00", () => {
    const due = sla.deadlines("P2", paris("2026-11-20T14:00")).firstResponseDue;
    expect(iso(sla.carryOver("P2", due, paris("2026-11-20T15:00"), paris("2026-11-23T10:00")))).toBe(
      "2026-11-23T11:00:00.000+01:00",
    );
  });

  it("GIVEN the same pause resumed on Saturday THEN the hour left counts from Monday's opening: Monday 09:00", () => {
    expect(
      iso(sla.carryOver("P2", paris("2026-11-20T16:00"), paris("2026-11-20T15:00"), paris("2026-11-21T10:00"))),
    ).toBe("2026-11-23T09:00:00.000+01:00");
  });

  it("GIVEN a deadline already passed when the pause began THEN it stays unchanged", () => {
    const due = paris("2026-11-20T14:00");
    const carried = sla.carryOver("P2", due, paris("2026-11-20T15:00"), paris("2026-11-23T10:00"));
    expect(iso(carried)).toBe("2026-11-20T14:00:00.000+01:00");
  });

  it("GIVEN a deadline equal to the pause instant THEN it stays unchanged", () => {
    const carried = sla.carryOver(
      "P2",
      paris("2026-11-20T15:00"),
      paris("2026-11-20T15:00"),
      paris("2026-11-23T10:00"),
    );
    expect(iso(carried)).toBe("2026-11-20T15:00:00.000+01:00");
  });

  it("GIVEN a paused P2 resolution with 20 business hours left THEN they are counted again from Thursday 09:00: Monday 09:00", () => {
    // Paused Monday 10:00 with resolution due Wednesday 10:00: 8 h Mon + 10 h Tue + 2 h Wed = 20 h.
    const carried = sla.carryOver(
      "P2",
      paris("2026-11-25T10:00"),
      paris("2026-11-23T10:00"),
      paris("2026-11-26T09:00"),
    );
    expect(iso(carried)).toBe("2026-11-30T09:00:00.000+01:00");
  });

  it("GIVEN a pause that began outside business hours THEN only business time to the deadline is carried", () => {
    // Paused Friday 19:00, due Monday 10:00: 2 business hours left; resumed Monday 14:00 → 16:00.
    const carried = sla.carryOver(
      "P2",
      paris("2026-11-23T10:00"),
      paris("2026-11-20T19:00"),
      paris("2026-11-23T14:00"),
    );
    expect(iso(carried)).toBe("2026-11-23T16:00:00.000+01:00");
  });

  it("GIVEN a P1 (24/7) deadline with 20 minutes left, resumed Saturday 03:00 THEN due Saturday 03:20", () => {
    const carried = sla.carryOver(
      "P1",
      paris("2026-11-24T10:30"),
      paris("2026-11-24T10:10"),
      paris("2026-11-28T03:00"),
    );
    expect(iso(carried)).toBe("2026-11-28T03:20:00.000+01:00");
  });
});

describe("SlaClock — lunch-break policy (08:00-12:00, 13:00-17:00, cut-off 16:00)", () => {
  const lunch = new SlaClock(variant({ businessHours: LUNCH_HOURS }));

  it("GIVEN P2 opened Tuesday 11:00 THEN first response 14:00 (the lunch hour does not count)", () => {
    expect(iso(lunch.deadlines("P2", paris("2026-11-24T11:00")).firstResponseDue)).toBe(
      "2026-11-24T14:00:00.000+01:00",
    );
  });

  it("GIVEN P2 opened Tuesday 12:15 (lunch) THEN the clock starts at 13:00 and first response is 15:00", () => {
    expect(deadlines(lunch, "P2", paris("2026-11-24T12:15"))).toMatchObject({
      clockStart: "2026-11-24T13:00:00.000+01:00",
      firstResponseDue: "2026-11-24T15:00:00.000+01:00",
    });
  });

  it("GIVEN P3 opened Tuesday 16:10 (after cut-off) THEN clock Wednesday 08:00 and first response Wednesday 17:00 (8 h with lunch)", () => {
    expect(deadlines(lunch, "P3", paris("2026-11-24T16:10"))).toMatchObject({
      clockStart: "2026-11-25T08:00:00.000+01:00",
      firstResponseDue: "2026-11-25T17:00:00.000+01:00",
    });
  });
});
