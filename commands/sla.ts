import { DateTime } from "luxon";
import { WEEKDAYS } from "../src/config/policy.ts";
import type { Command } from "../src/kit/command.ts";
import { reply } from "../src/reply.ts";
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
        const today = ctx.services.clock.now().setZone(policy.timezone).toISODate()!;
        const upcoming = policy.holidays.filter((h) => h >= today).slice(0, 5);
        return reply.private([
          { type: "header", text: x.t("sla.title", { zone: policy.timezone }) },
          { type: "list", items: rows },
          { type: "text", text: x.t("sla.hours", { hours }) },
          { type: "text", text: policy.cutoff ? x.t("sla.cutoff", { cutoff: policy.cutoff }) : x.t("sla.no_cutoff") },
          {
            type: "context",
            text: [
              upcoming.length
                ? x.t("sla.holidays", {
                    holidays: upcoming
                      .map((h) => DateTime.fromISO(h).setLocale(x.lang).toFormat("d LLL yyyy"))
                      .join(", "),
                  })
                : "",
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
        return reports.reply(ctx.texts, report, true);
      },
    },
  ],
  whenEmpty: "show",
};
