import type { DateTime } from "luxon";
import type { Texts } from "../i18n/index.ts";
import type { Block, Reply } from "../reply.ts";
import { ref } from "../tickets/model.ts";
import { SLA_REPORT_LIMIT, type GroupNumbers, type SlaReport } from "./report.ts";

/** How the SLA report reads (in a post or a reply) and its CSV (RFC 4180, one row per group). */

/**
 * Minutes as people read them on a clock: "1 j ouvré 2 h" on a business clock (a business day is
 * `dayMinutes` long), "1 j 2 h" on a 24/7 one, hours and minutes only for a group spanning both.
 */
export function clockDurationText(
  x: Texts,
  minutes: number,
  clock: "business" | "24/7" | "mixed",
  dayMinutes: number,
): string {
  let left = Math.round(minutes);
  const parts: string[] = [];
  if (clock !== "mixed") {
    const perDay = clock === "business" ? dayMinutes : 24 * 60;
    const days = Math.floor(left / perDay);
    left -= days * perDay;
    if (days > 0) parts.push(x.t(clock === "business" ? "report.dur.bdays" : "report.dur.days", { n: days }));
  }
  const hours = Math.floor(left / 60);
  const mins = left - hours * 60;
  if (hours > 0) parts.push(x.t("report.dur.hours", { n: hours }));
  if (mins > 0) parts.push(x.t("report.dur.minutes", { n: mins }));
  return parts.length ? parts.join(" ") : x.t("report.dur.zero");
}

/** The first and last local days a range covers ("19 oct. 2026"), the last one included. */
export function rangeDays(x: Texts, report: SlaReport): { from: string; to: string } {
  const from = report.range.from.setZone(x.zone);
  const to = report.range.to.setZone(x.zone);
  // A range ending at local midnight covers up to the day before; one ending now covers today.
  const last = to.equals(to.startOf("day")) ? to.minus({ days: 1 }) : to;
  const day = (d: DateTime) => d.setLocale(x.lang).toFormat("d LLL yyyy");
  return { from: day(from), to: day(last) };
}

/** The report as a reply: totals, per priority, per owner, then the breaches with by how much. */
export function reportBlocks(x: Texts, report: SlaReport, dayMinutes: number): Block[] {
  const { from, to } = rangeDays(x, report);
  const zone = x.zoneName();
  const header = report.priority
    ? x.t("report.sla.title_priority", { priority: report.priority, from, to, zone })
    : x.t("report.sla.title", { from, to, zone });
  const line = (name: string, n: GroupNumbers) => groupLine(x, name, n, dayMinutes);
  const blocks: Block[] = [{ type: "header", text: header }];
  if (report.total.opened + report.total.resolved + report.total.autoClosed === 0) {
    blocks.push({ type: "text", text: x.t("report.sla.empty") });
    return blocks;
  }
  blocks.push({ type: "text", text: line(x.t("report.sla.total"), report.total) });
  blocks.push({ type: "text", text: x.t("report.sla.by_priority") });
  blocks.push({ type: "list", items: report.byPriority.map((g) => line(g.priority, g.numbers)) });
  blocks.push({ type: "text", text: x.t("report.sla.by_owner") });
  blocks.push({
    type: "list",
    items: report.byOwner.map((g) => line(g.owner || x.t("report.sla.no_owner"), g.numbers)),
  });
  blocks.push({ type: "text", text: x.t("report.sla.breaches") });
  blocks.push(
    report.breaches.length
      ? {
          type: "list",
          items: report.breaches.map((b) =>
            x.t(b.running ? "report.sla.breach_running" : "report.sla.breach", {
              ref: ref(b.id),
              priority: b.priority,
              owner: b.owner || x.t("report.sla.no_owner"),
              target: x.t(b.target === "first_response" ? "sla.first_response" : "sla.resolution"),
              late: clockDurationText(x, b.lateMinutes, b.clock, dayMinutes),
            }),
          ),
        }
      : { type: "text", text: x.t("report.sla.no_breach") },
  );
  const notes = [x.t("report.sla.basis")];
  if (report.truncated) notes.push(x.t("report.sla.truncated", { limit: SLA_REPORT_LIMIT }));
  blocks.push({ type: "context", text: notes.join(" ") });
  return blocks;
}

function groupLine(x: Texts, name: string, n: GroupNumbers, dayMinutes: number): string {
  const none = x.t("report.sla.none");
  const pct = (v: number | null) => (v === null ? none : x.t("report.sla.pct", { pct: formatPct(x, v) }));
  const dur = (v: number | null) => (v === null ? none : clockDurationText(x, v, n.clock, dayMinutes));
  return x.t("report.sla.group", {
    name,
    opened: n.opened,
    resolved: n.resolved,
    frPct: pct(n.firstResponse.pct),
    frMet: n.firstResponse.met,
    frJudged: n.firstResponse.judged,
    frMedian: dur(n.firstResponse.median),
    frP90: dur(n.firstResponse.p90),
    resPct: pct(n.resolution.pct),
    resMet: n.resolution.met,
    resJudged: n.resolution.judged,
    resMedian: dur(n.resolution.median),
    resP90: dur(n.resolution.p90),
    reopenPct: pct(n.reopenPct),
    autoClosed: n.autoClosed,
  });
}

function formatPct(x: Texts, v: number): string {
  return new Intl.NumberFormat(x.lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 1 }).format(v);
}

/** The report as a reply with its CSV attached (the weekly post, and `/sla report` itself). */
export function reportReply(x: Texts, report: SlaReport, dayMinutes: number, ephemeral: boolean, late = 0): Reply {
  const blocks = reportBlocks(x, report, dayMinutes);
  if (late > 0) blocks.push({ type: "context", text: x.t("report.sla.late", { minutes: late }) });
  const { from, to } = rangeDays(x, report);
  const day = (d: DateTime) => d.setZone(x.zone).toISODate();
  return {
    blocks,
    ephemeral,
    file: {
      name: `sla-${day(report.range.from)}_${day(report.range.to.minus({ milliseconds: 1 }))}${report.priority ? `-${report.priority}` : ""}.csv`,
      title: x.t("report.sla.file_title", { from, to }),
      content: reportCsv(report),
      mime: "text/csv",
    },
  };
}

export const CSV_HEADER = [
  "scope",
  "group",
  "opened",
  "resolved",
  "first_response_judged",
  "first_response_met",
  "first_response_met_pct",
  "first_response_median_min",
  "first_response_p90_min",
  "resolution_judged",
  "resolution_met",
  "resolution_met_pct",
  "resolution_median_min",
  "resolution_p90_min",
  "breaches",
  "reopened",
  "reopen_pct",
  "auto_closed",
  "clock",
] as const;

/**
 * The report's rows as CSV (RFC 4180): a header, then one row per group — `total`, each
 * `priority`, each `owner` — with the same numbers as the post; durations in minutes on the
 * group's clock. Fields with a comma, a quote or a line break are quoted, quotes doubled, lines
 * end in CRLF; a text starting with = + - @ gets a leading ' so a spreadsheet does not run it.
 */
export function reportCsv(report: SlaReport): string {
  const rows: (string | number | null)[][] = [[...CSV_HEADER]];
  const row = (scope: string, group: string, n: GroupNumbers) => [
    scope,
    group,
    n.opened,
    n.resolved,
    n.firstResponse.judged,
    n.firstResponse.met,
    n.firstResponse.pct,
    n.firstResponse.median,
    n.firstResponse.p90,
    n.resolution.judged,
    n.resolution.met,
    n.resolution.pct,
    n.resolution.median,
    n.resolution.p90,
    n.breaches,
    n.reopened,
    n.reopenPct,
    n.autoClosed,
    n.clock,
  ];
  rows.push(row("total", "", report.total));
  for (const g of report.byPriority) rows.push(row("priority", g.priority, g.numbers));
  for (const g of report.byOwner) rows.push(row("owner", g.owner, g.numbers));
  return `${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

export function csvField(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
