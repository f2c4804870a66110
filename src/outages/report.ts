import type { Texts } from "../i18n/index.ts";
import { SYSTEM_ACTOR } from "../timeline/events.ts";
import { outageRef, type Outage } from "./model.ts";
import type { OutageEventRow } from "./outage-repository.ts";

/**
 * The incident report (seed 001: "décrire le déroulement de la résolution, les personnes impliquées
 * et les actions pour éviter le problème"; seed 002 "compte rendu après intervention"), as Markdown,
 * read from the recorded timeline.
 */
export function incidentReport(x: Texts, o: Outage, timeline: readonly OutageEventRow[]): string {
  const people = [
    ...new Map(timeline.filter((e) => e.actor.id !== SYSTEM_ACTOR.id).map((e) => [e.actor.id, e.actor.name])).values(),
  ];
  const line = (e: OutageEventRow): string => {
    const at = x.time(e.at);
    const d = e.data as Record<string, string | null>;
    switch (e.kind) {
      case "declared":
        return x.t("report.event.declared", { at, who: e.actor.name, priority: String(d.priority) });
      case "updated":
        return x.t("report.event.updated", {
          at,
          who: e.actor.name,
          stage: d.stage ? x.t(`choice.stage.${d.stage}` as never) : "—",
          action: d.nextAction ?? "—",
          blocker: d.blocker ?? x.t("ticket.none"),
        });
      case "no_change":
        return x.t("report.event.no_change", { at });
      case "resolved":
        return x.t("report.event.resolved", { at, who: e.actor.name });
      default:
        return `${at} — ${e.kind} (${e.actor.name})`;
    }
  };
  const actions = timeline
    .filter((e) => e.kind === "updated")
    .map((e) => `- ${String((e.data as { nextAction?: string }).nextAction ?? "")}`);
  const duration = o.resolvedAt ? Math.round(o.resolvedAt.diff(o.declaredAt, "minutes").minutes) : undefined;
  return [
    `# ${x.t("report.title", { ref: outageRef(o.id), title: o.title })}`,
    "",
    x.t("report.summary", {
      services: o.services,
      impact: o.impact,
      priority: o.priority,
      start: x.time(o.declaredAt),
      end: o.resolvedAt ? x.time(o.resolvedAt) : "—",
      minutes: duration ?? "—",
    }),
    "",
    `## ${x.t("report.what_happened")}`,
    o.whatHappened ?? "—",
    "",
    `## ${x.t("report.timeline")}`,
    ...timeline.map((e) => `- ${line(e)}`),
    "",
    `## ${x.t("report.people")}`,
    ...people.map((p) => `- ${p}${p === o.ownerName ? ` (${x.t("report.owner")})` : ""}`),
    "",
    `## ${x.t("report.actions")}`,
    ...(actions.length ? actions : ["—"]),
    "",
    `## ${x.t("report.result")}`,
    o.result ?? "—",
    "",
    `## ${x.t("report.prevention")}`,
    o.prevention ?? "—",
    "",
    `## ${x.t("report.follow_up")}`,
    o.followUp ?? "—",
    "",
  ].join("\n");
}
