import { sentence } from "../text.ts";
import type { DateTime } from "luxon";
import type { Texts } from "../i18n/index.ts";
import type { Reply } from "../reply.ts";
import { channelLabel, outageRef, type Outage } from "./model.ts";

/** What affected channels read, in the structures of seeds 001 and 002. */

const post = (...texts: (string | undefined)[]): Reply => ({
  blocks: texts
    .filter((t): t is string => Boolean(t))
    .map((text, i) => (i === 0 ? { type: "text" as const, text } : { type: "context" as const, text })),
  ephemeral: false,
});

/** Seed 001: apologise, say what is affected and the workaround, the reference, the owner, the next update. */
export function announcement(x: Texts, o: Outage): Reply {
  const at = x.moments();
  return post(
    x.t("outage.announcement", {
      ref: outageRef(o.id),
      title: o.title,
      services: o.services,
      impact: o.impact,
      priority: o.priority,
    }),
    x.t("outage.workaround", { workaround: o.workaround ?? x.t("outage.no_workaround") }),
    x.t("outage.owner_next", { owner: o.ownerName, next: at(o.nextUpdateDue) }),
  );
}

/** Seed 002: each status carries the stage, any blocker, the next action and the next update time. */
export function statusMessage(x: Texts, o: Outage): Reply {
  const at = x.moments();
  return post(
    x.t("outage.status", {
      ref: outageRef(o.id),
      stage: o.stage ? x.t(`choice.stage.${o.stage}`) : x.t("ticket.none"),
      blocker: o.blocker ?? x.t("ticket.none"),
      nextAction: o.nextAction ?? x.t("ticket.none"),
      next: at(o.nextUpdateDue),
    }),
    o.estimate ? x.t("outage.estimate", { estimate: at(o.estimate) }) : undefined,
  );
}

/** The promise kept when the owner is silent: same frame, same criteria ("disque rayé"). */
export function noChangeMessage(x: Texts, o: Outage, lateMinutes: number): Reply {
  const at = x.moments();
  return post(
    x.t("outage.no_change", { ref: outageRef(o.id), since: at(o.lastUpdateAt), next: at(o.nextUpdateDue) }),
    // Same frame as the last update: its stage and its blocker (seed 002 "disque rayé").
    o.stage
      ? x.t("outage.no_change_frame", {
          stage: x.t(`choice.stage.${o.stage}`),
          blocker: o.blocker ?? x.t("ticket.none"),
        })
      : undefined,
    lateMinutes > 0 ? x.t("outage.late", { minutes: lateMinutes }) : undefined,
  );
}

/** Seed 002, "structure en 5 blocs": a delay announced, not discovered. */
export function delayMessage(x: Texts, o: Outage, previous: DateTime, compensation: string | null): Reply {
  const at = x.moments();
  return {
    blocks: [
      { type: "header", text: x.t("outage.delay.title", { ref: outageRef(o.id), title: o.title }) },
      {
        type: "list",
        items: [
          x.t("outage.delay.1", { previous: at(previous) }),
          x.t("outage.delay.2", { cause: o.cause ?? x.t("outage.delay.cause_unknown") }),
          x.t("outage.delay.3", {
            stage: o.stage ? x.t(`choice.stage.${o.stage}`) : x.t("ticket.none"),
            nextAction: o.nextAction ?? x.t("ticket.none"),
          }),
          x.t("outage.delay.4", { estimate: at(o.estimate!), next: at(o.nextUpdateDue) }),
          ...(compensation ? [x.t("outage.delay.5", { compensation })] : []),
        ],
      },
    ],
    ephemeral: false,
  };
}

export function resolvedMessage(x: Texts, o: Outage): Reply {
  return post(
    x.t("outage.resolved", { ref: outageRef(o.id), title: o.title, result: sentence(o.result ?? "") }),
    x.t("outage.report_hint", { ref: outageRef(o.id) }),
  );
}

export function reminderMessage(x: Texts, o: Outage): Reply {
  const at = x.moments();
  return post(
    x.t("outage.reminder", {
      ref: outageRef(o.id),
      due: at(o.nextUpdateDue),
      channels: o.channels.map(channelLabel).join(", "),
    }),
  );
}

/** The live summary pinned in the incident room, edited in place at every step. */
export function liveSummary(x: Texts, o: Outage): Reply {
  const at = x.moments();
  const none = x.t("ticket.none");
  return {
    blocks: [
      {
        type: "header",
        text: x.t("outage.summary_title", {
          ref: outageRef(o.id),
          title: o.title,
          priority: o.priority,
          status: x.t(`outage.status_${o.status}`),
        }),
      },
      {
        type: "fields",
        fields: [
          { label: x.t("field.services"), value: o.services },
          { label: x.t("field.impactText"), value: o.impact },
          { label: x.t("summary.owner"), value: o.ownerName },
          { label: x.t("field.stage"), value: o.stage ? x.t(`choice.stage.${o.stage}`) : none },
          { label: x.t("summary.blocked_by"), value: o.blocker ?? none },
          { label: x.t("summary.next_step"), value: o.nextAction ?? none },
          { label: x.t("summary.next_update"), value: o.status === "ongoing" ? at(o.nextUpdateDue) : none },
          { label: x.t("summary.workaround"), value: o.workaround ?? x.t("outage.no_workaround") },
        ],
      },
      ...(o.estimate ? [{ type: "context" as const, text: x.t("outage.estimate", { estimate: at(o.estimate) }) }] : []),
    ],
    ephemeral: false,
  };
}
