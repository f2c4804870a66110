import { WEEKDAYS } from "../src/config/policy.ts";
import type { Command } from "../src/kit/command.ts";
import { reply, type Block } from "../src/reply.ts";
import { durationText } from "../src/sla/duration-text.ts";
import { PRIORITIES } from "../src/tickets/priority.ts";
import { parseReportRequest } from "../src/sla/report.ts";

/** `/sla`: the policy's grid, business hours, holidays and cut-off, as configured. */
export const slaCommand: Command = {
  name: "sla",
  aliases: [],
  summary: "cmd.sla",
  subcommands: [
    {
      name: "show",
      aliases: ["voir"],
      summary: "cmd.sla",
      args: [],
      async run(_v, ctx) {
        const x = ctx.texts;
        const policy = ctx.services.policy;
        const rows = PRIORITIES.map((p) => {
          const r = policy.sla[p];
          return x.t("sla.row", {
            priority: p,
            clock: x.t(`sla.clock.${r.clock}`),
            first: durationText(x, r.firstResponse),
            update: durationText(x, r.updateEvery),
            resolution: durationText(x, r.resolution),
          });
        });
        const hours = WEEKDAYS.map(
          (d) => `${x.t(`weekday.${d}`)} ${policy.businessHours[d].join(", ") || x.t("sla.closed_day")}`,
        ).join(" · ");
        const holidays = ctx.services.sla.calendar.holidays;
        const today = ctx.services.clock.now().setZone(policy.timezone);
        // The next ten closed days within a year, in date order (a hand-typed list may be in any order).
        const upcoming = holidays.between(today.toISODate()!, today.plus({ years: 1 }).toISODate()!, x.lang, 10);
        const spec = holidays.spec;
        const source = Array.isArray(spec)
          ? x.t("sla.holidays.listed")
          : [spec.country, spec.region].filter(Boolean).join(" ");
        const closedDays: Block[] = upcoming.length
          ? [
              { type: "text", text: x.t("sla.holidays", { source }) },
              {
                type: "list",
                items: upcoming.map((d) => {
                  const name = d.kind === "extra" ? x.t("sla.holiday.extra") : d.name;
                  return name ? `${x.day(d.date)} · ${name}` : x.day(d.date);
                }),
              },
            ]
          : [{ type: "text", text: x.t("sla.holidays.none") }];
        return reply.private([
          { type: "header", text: x.t("sla.title", { zone: policy.timezone }) },
          { type: "list", items: rows },
          { type: "text", text: x.t("sla.hours", { hours }) },
          { type: "text", text: policy.cutoff ? x.t("sla.cutoff", { cutoff: policy.cutoff }) : x.t("sla.no_cutoff") },
          ...closedDays,
          {
            type: "context",
            text: [
              x.t("sla.pause", {
                states: policy.pauseWhileWaiting.map((s) => x.t(`choice.waitingOn.${s}`)).join(", "),
              }),
              x.t("sla.autoclose", { delay: durationText(x, policy.autoCloseAfter) }),
            ]
              .filter(Boolean)
              .join(" "),
          },
        ]);
      },
    },
    {
      // Issue 17: the SLA report over a week, a month or explicit days, for one priority or all.
      name: "report",
      aliases: ["rapport"],
      summary: "cmd.sla.report",
      args: [
        {
          id: "filter",
          label: "field.reportFilter",
          type: { kind: "text", max: 80 },
          required: false,
          rest: true,
        },
      ],
      async run(v, ctx) {
        const { reports, clock, policy } = ctx.services;
        const request = parseReportRequest(
          typeof v.filter === "string" ? v.filter : undefined,
          clock.now(),
          policy.timezone,
        );
        const report = await reports.report(request);
        return reports.answer(ctx.texts, report, ctx.actor.id);
      },
    },
  ],
  whenEmpty: "show",
};
