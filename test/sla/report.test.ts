import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseReportRequest } from "../../src/sla/report.ts";
import { csvField, reportCsv } from "../../src/sla/report-text.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice, bob, iso, paris, ZONE } from "../support/fixtures.ts";

/**
 * The SLA report (issue 17) over a fixed set of tickets built through the real services on an
 * injected clock, with the shipped policy (Europe/Paris, 08:00-18:00 on weekdays, cut-off 16:00,
 * 11 November a holiday, P1 on a 24/7 clock, P2 and P3 in business hours, waits on the requester
 * pausing the clocks):
 *
 * - T-1 P1 (Alice) opened Sat 24 Oct 23:50 CEST, taken Sun 25 Oct 03:30 CET — across the DST change:
 *   4 h 40 min elapsed (not the 3 h 40 the wall clock shows), 30 min allowed → late by 4 h 10 min;
 *   resolved 05:50 CET (7 h; ASAP: no deadline).
 * - T-2 P2 (Alice) opened Mon 2 Nov 09:00, taken 09:30 (30 min), waiting on the requester from
 *   10:00 to Wed 4 Nov 10:00 (paused: 20 business hours), resolved Wed 14:00: 5 business hours, met
 *   (its deadline Wed 09:00 is carried to Fri 09:00 by the pause; without it, a breach).
 * - T-3 P3 (Bob) opened Mon 2 Nov 10:00, taken Tue 3 Nov 10:00 (10 business hours; 8 h allowed →
 *   late by 2 h), resolved Tue 12:00, reopened Wed 09:00, resolved again Wed 10:00 (13 business
 *   hours, the resolved night excluded; met), auto-closed Sat 7 Nov.
 * - T-4 P2 (Bob) opened Tue 10 Nov 16:30, after the cut-off, the day before the 11 November holiday:
 *   its clocks start Thu 12 Nov 08:00; taken 09:00 (1 h, met); resolved Fri 13 Nov 11:00 (13
 *   business hours: 1 business day 3 h; due Mon 16 Nov 08:00, met).
 * - T-5 P2 (Alice) opened Fri 13 Nov 10:00 and never answered: due 12:00, still late at the end of
 *   the range (Mon 16 Nov 00:00) by 6 business hours.
 */

let r: TestRelais;
beforeEach(async () => {
  r = await startRelais({ now: paris("2026-10-24T23:50") });
});
afterEach(() => r.close());

const P1 = { impact: "high", urgency: "high", workaround: "none" } as const;
const P2 = { impact: "medium", urgency: "medium", workaround: "partial" } as const;

async function fixedTickets(): Promise<void> {
  const { tickets } = r.relais.services;
  const at = (t: string) => r.clock.set(paris(t));
  const tick = () => r.relais.scheduler.tick();

  at("2026-10-24T23:50");
  const t1 = await tickets.create(alice, { title: "Messagerie indisponible", assessment: P1 });
  at("2026-10-25T03:30"); // CET, after the change at 03:00 CEST → 02:00 CET
  await tickets.take(alice, t1.id);
  at("2026-10-25T05:50");
  await tickets.resolve(alice, t1.id, { kind: "fixed", note: "Service redémarré" });
  at("2026-10-28T06:00");
  await tick(); // T-1's auto-close (72 h after its resolution)

  at("2026-11-02T09:00");
  const erp = await tickets.create(alice, { title: "ERP lent", assessment: P2 });
  at("2026-11-02T09:30");
  await tickets.take(alice, erp.id);
  at("2026-11-02T10:00");
  await tickets.wait(alice, erp.id, "requester", "capture d’écran de l’erreur");
  const printer = await tickets.create(bob, { title: "Imprimante du 2e étage" });
  at("2026-11-03T10:00");
  await tickets.take(bob, printer.id);
  at("2026-11-03T12:00");
  await tickets.resolve(bob, printer.id, { kind: "fixed" });
  at("2026-11-04T09:00");
  await tickets.reopen(bob, printer.id, "Bourrage papier revenu");
  at("2026-11-04T10:00");
  await tickets.update(alice, erp.id, { stage: "diagnostic", nextAction: "Analyser la capture reçue" });
  await tickets.resolve(bob, printer.id, { kind: "fixed" });
  at("2026-11-04T14:00");
  await tickets.resolve(alice, erp.id, { kind: "fixed" });
  at("2026-11-07T15:00");
  await tick(); // T-2's and T-3's auto-closes

  at("2026-11-10T16:30");
  const vpn = await tickets.create(bob, { title: "VPN coupé", assessment: P2 });
  expect(iso(vpn.clockStart)).toBe("2026-11-12T08:00:00.000+01:00");
  at("2026-11-12T09:00");
  await tickets.take(bob, vpn.id);
  at("2026-11-13T10:00");
  await tickets.create(alice, { title: "Badge refusé", assessment: P2 });
  at("2026-11-13T11:00");
  await tickets.resolve(bob, vpn.id, { kind: "fixed" });
  at("2026-11-16T10:00");
}

describe("the SLA report over a DST change, a holiday, a cut-off and a paused wait", () => {
  it("GIVEN the fixed tickets WHEN reported from 19 Oct to 15 Nov THEN exactly the expected counts, met %, medians, p90 and breaches", async () => {
    await fixedTickets();
    const reports = r.relais.services.reports;
    const req = parseReportRequest("2026-10-19..2026-11-15", r.clock.now(), ZONE);
    const report = await reports.report(req);
    expect(report.total).toEqual({
      opened: 5,
      resolved: 4,
      // T-1 late, T-2 met, T-3 late, T-4 met, T-5 late and still unanswered: 2 of 5.
      firstResponse: { judged: 5, met: 2, pct: 40, median: 60, p90: 600 },
      // T-1 is ASAP (no deadline): judged on duration only.
      resolution: { judged: 3, met: 3, pct: 100, median: 420, p90: 780 },
      breaches: 3,
      reopened: 1,
      reopenPct: 25,
      autoClosed: 3,
      clock: "mixed",
    });
    const byPriority = Object.fromEntries(report.byPriority.map((g) => [g.priority, g.numbers]));
    expect(byPriority.P1).toMatchObject({
      opened: 1,
      firstResponse: { judged: 1, met: 0, pct: 0, median: 280, p90: 280 },
      resolution: { judged: 0, pct: null, median: 420 },
      clock: "24/7",
    });
    expect(byPriority.P2).toMatchObject({
      opened: 3,
      resolved: 2,
      // T-5's running breach counts against the rate, not in the durations.
      firstResponse: { judged: 3, met: 2, pct: 66.7, median: 30, p90: 60 },
      // T-2: 5 business hours with its 20 paused hours taken out; T-4: 13 business hours.
      resolution: { judged: 2, met: 2, pct: 100, median: 300, p90: 780 },
      reopenPct: 0,
      autoClosed: 1,
    });
    expect(byPriority.P3).toMatchObject({
      firstResponse: { met: 0, median: 600 },
      resolution: { met: 1, median: 780 },
      reopened: 1,
      reopenPct: 100,
    });
    const byOwner = Object.fromEntries(report.byOwner.map((g) => [g.owner, g.numbers]));
    expect(byOwner.Alice).toMatchObject({ opened: 3, firstResponse: { judged: 3, met: 1, pct: 33.3 } });
    expect(byOwner.Bob).toMatchObject({ opened: 2, firstResponse: { judged: 2, met: 1, pct: 50, median: 60 } });
    expect(report.breaches).toEqual([
      {
        id: 5,
        priority: "P2",
        owner: "Alice",
        target: "first_response",
        lateMinutes: 360,
        running: true,
        clock: "business",
      },
      {
        id: 1,
        priority: "P1",
        owner: "Alice",
        target: "first_response",
        lateMinutes: 250,
        running: false,
        clock: "24/7",
      },
      {
        id: 3,
        priority: "P3",
        owner: "Bob",
        target: "first_response",
        lateMinutes: 120,
        running: false,
        clock: "business",
      },
    ]);

    // What people read: durations in business time, breaches with by how much, in French and English.
    const fr = renderText(reports.reply(r.relais.context(alice, "fr").texts, report, true));
    expect(fr).toContain("Rapport SLA du 19 oct. 2026 au 15 nov. 2026 (heure de Paris)");
    expect(fr).toContain(
      "P2 : 3 ouverts, 2 résolus · 1re réponse dans les délais 66,7 % (2/3), médiane 30 min, p90 1 h · résolution dans les délais 100 % (2/2), médiane 5 h, p90 1 j ouvré 3 h · réouvertures 0 % · 1 clôture auto",
    );
    expect(fr).toContain("T-5 (P2, Alice) : première réponse en retard de 6 h, toujours en attente");
    expect(fr).toContain("T-1 (P1, Alice) : première réponse dépassée de 4 h 10 min");
    expect(fr).toContain("T-3 (P3, Bob) : première réponse dépassée de 2 h");
    const en = renderText(reports.reply(r.relais.context(alice, "en").texts, report, true));
    expect(en).toContain("SLA report from 19 Oct 2026 to 15 Nov 2026 (Paris time)");
    expect(en).toContain("T-1 (P1, Alice): first response missed by 4 h 10 min");
    expect(en).toContain("resolution on time 100% (2/2), median 5 h, p90 1 business day 3 h");
  });

  it("GIVEN the fixed tickets WHEN reported for P2 only THEN only P2 tickets count", async () => {
    await fixedTickets();
    const reports = r.relais.services.reports;
    const report = await reports.report(parseReportRequest("2026-10-19..2026-11-15 p2", r.clock.now(), ZONE));
    expect(report.byPriority.map((g) => g.priority)).toEqual(["P2"]);
    expect(report.total).toMatchObject({ opened: 3, resolved: 2, firstResponse: { met: 2, judged: 3 } });
    expect(report.breaches.map((b) => b.id)).toEqual([5]);
  });

  it("GIVEN the fixed tickets THEN the CSV has a header and one RFC 4180 row per group, with the same numbers", async () => {
    await fixedTickets();
    const report = await r.relais.services.reports.report(
      parseReportRequest("2026-10-19..2026-11-15", r.clock.now(), ZONE),
    );
    const csv = reportCsv(report);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "scope,group,opened,resolved,first_response_judged,first_response_met,first_response_met_pct,first_response_median_min,first_response_p90_min,resolution_judged,resolution_met,resolution_met_pct,resolution_median_min,resolution_p90_min,breaches,reopened,reopen_pct,auto_closed,clock",
    );
    expect(lines[1]).toBe("total,,5,4,5,2,40,60,600,3,3,100,420,780,3,1,25,3,mixed");
    expect(lines[3]).toBe("priority,P2,3,2,3,2,66.7,30,60,2,2,100,300,780,1,0,0,1,business");
    expect(lines.slice(5, 7).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(["owner,Alice,3", "owner,Bob,2"]);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(lines).toHaveLength(8); // header, total, 3 priorities, 2 owners, and the final CRLF
  });

  it("GIVEN /sla rapport typed in the chat THEN the report answers privately in the person's language", async () => {
    await fixedTickets();
    const fr = await r.text("/sla rapport 2026-10-19..2026-11-15 P3");
    expect(fr).toContain("Rapport SLA P3 du 19 oct. 2026 au 15 nov. 2026");
    expect(fr).toContain("T-3 (P3, Bob) : première réponse dépassée de 2 h");
    const en = await r.text("/sla report month", { lang: "en" });
    expect(en).toContain("SLA report from 1 Nov 2026 to 16 Nov 2026 (Paris time)");
  });
});

describe("CSV fields (RFC 4180)", () => {
  it("quotes a comma, a quote or a line break, doubles quotes, and defuses spreadsheet formulas", () => {
    expect(csvField("Alice")).toBe("Alice");
    expect(csvField("Dupont, Jean")).toBe('"Dupont, Jean"');
    expect(csvField('Jean "JJ" Dupont')).toBe('"Jean ""JJ"" Dupont"');
    expect(csvField("deux\r\nlignes")).toBe('"deux\r\nlignes"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-1,2")).toBe(`"'-1,2"`);
    expect(csvField(66.7)).toBe("66.7");
    expect(csvField(null)).toBe("");
  });
});

describe("a priority change before the first response", () => {
  it("GIVEN a P3 raised to P2 at 10:00 and taken at 12:30 THEN its first response counts from the change: 2 h 30, late by 30 min", async () => {
    r.clock.set(paris("2026-11-16T09:00"));
    const t = await r.relais.services.tickets.create(alice, { title: "Paie bloquée" });
    r.clock.set(paris("2026-11-16T10:00"));
    await r.relais.services.tickets.changePriority(alice, t.id, "P2", "40 utilisateurs sont maintenant bloqués");
    r.clock.set(paris("2026-11-16T12:30"));
    await r.relais.services.tickets.take(alice, t.id);
    const report = await r.relais.services.reports.report(
      parseReportRequest("2026-11-16..2026-11-16", r.clock.now(), ZONE),
    );
    expect(report.total.firstResponse).toMatchObject({ judged: 1, met: 0, median: 150 });
    expect(report.breaches).toMatchObject([{ id: 1, priority: "P2", lateMinutes: 30 }]);
  });
});

describe("the report's bounded read", () => {
  it("GIVEN 1,100 tickets in the range and one before THEN the report reads them all (queries in slices) and not the older one", async () => {
    r.clock.set(paris("2026-11-02T09:00"));
    const first = await r.relais.services.tickets.create(alice, { title: "Poste lent" });
    const { id: _id, version: _v, ...model } = first;
    r.clock.set(paris("2026-11-16T09:00"));
    const store = r.relais.store.tickets;
    for (let i = 0; i < 1100; i++) {
      const at = paris("2026-11-16T09:00").plus({ seconds: i });
      await store.create(
        { ...model, title: `Panne ${i}`, createdAt: at, clockStart: at, updatedAt: at },
        { at, actor: alice, kind: "created", data: { priority: "P3" } },
      );
    }
    const report = await r.relais.services.reports.report(
      parseReportRequest("2026-11-16..2026-11-22", r.clock.now(), ZONE),
    );
    expect(report.total.opened).toBe(1100);
    expect(report.truncated).toBe(false);
    const all = await r.relais.store.tickets.activity(
      { from: paris("2026-11-16T00:00"), to: paris("2026-11-23T00:00") },
      1000,
    );
    expect([all.tickets.length, all.truncated, all.tickets[0]!.ticket.id]).toEqual([1000, true, 2]);
    expect(all.tickets[0]!.events.map((e) => e.kind)).toEqual(["created"]);
  }, 60_000);
});

describe("the report's range and priority", () => {
  const now = paris("2026-11-18T15:00"); // a Wednesday

  it("reads week, month and explicit days in the policy's zone", () => {
    expect(parseReportRequest(undefined, now, ZONE)).toMatchObject({ kind: "week" });
    const week = parseReportRequest("semaine", now, ZONE);
    expect([iso(week.range.from), iso(week.range.to)]).toEqual([
      "2026-11-16T00:00:00.000+01:00",
      "2026-11-18T15:00:00.000+01:00",
    ]);
    const month = parseReportRequest("MOIS P1", now, ZONE);
    expect([iso(month.range.from), month.priority]).toEqual(["2026-11-01T00:00:00.000+01:00", "P1"]);
    // Across the DST change: whole local days, the last one included.
    const days = parseReportRequest("P2 2026-10-19..2026-10-25", now, ZONE);
    expect([iso(days.range.from), iso(days.range.to), days.priority]).toEqual([
      "2026-10-19T00:00:00.000+02:00",
      "2026-10-26T00:00:00.000+01:00",
      "P2",
    ]);
    // A whole year is accepted (366 days in all).
    expect(parseReportRequest("2027-01-01..2027-12-31", now, ZONE).kind).toBe("days");
  });

  it.each([
    ["2026-11-15..2026-11-01", "report_range_reversed"],
    ["2025-01-01..2026-01-02", "report_range_too_long"],
    ["P4", "report_priority_unknown"],
    ["P1 P2", "report_priority_twice"],
    ["hier", "report_range_invalid"],
    ["2026-02-30..2026-03-01", "report_range_invalid"],
    ["week month", "report_range_invalid"],
  ])("refuses %s (%s)", (text, code) => {
    expect(() => parseReportRequest(text, now, ZONE)).toThrow(expect.objectContaining({ code }));
  });

  it("GIVEN bad inputs typed THEN polite refusals in French and English, and nothing posted or changed", async () => {
    const before = await r.relais.store.outbox.countUnsent();
    const cases: [string, "fr" | "en", string][] = [
      [
        "/sla rapport 2026-11-15..2026-11-01",
        "fr",
        "La période 2026-11-15..2026-11-01 est à l’envers : mettez le premier jour d’abord (2026-11-01..2026-11-15). Rien n’a été publié.",
      ],
      [
        "/sla report 2025-01-01..2026-06-30",
        "en",
        "The period 2025-01-01..2026-06-30 is over a year; a report covers at most 366 days. Nothing was posted.",
      ],
      ["/sla rapport P4", "fr", "« P4 » n’est pas une priorité connue : P1, P2, P3. Rien n’a été publié."],
      ["/sla report P0", "en", "“P0” is not a known priority: P1, P2, P3. Nothing was posted."],
      [
        "/sla rapport P1 P2",
        "fr",
        "Un rapport porte sur une priorité ou sur toutes : P1 ou P2, pas les deux. Rien n’a été publié.",
      ],
      [
        "/sla report P2 p3",
        "en",
        "A report covers one priority or all of them: P2 or P3, not both. Nothing was posted.",
      ],
      ["/sla rapport n'importe quoi", "fr", "« n'importe » n’est pas une période de rapport."],
      ["/sla report yesterday", "en", "“yesterday” is not a report period."],
    ];
    for (const [line, lang, expected] of cases) {
      const reply = await r.say(line, { lang });
      expect(reply.error, line).toMatch(/^report_/);
      expect(renderText(reply)).toContain(expected);
    }
    expect(await r.relais.store.outbox.countUnsent()).toBe(before);
    expect(await r.relais.store.jobs.countPending()).toBe(0);
  });
});
