import type { DateTime } from "luxon";
import type { Priority } from "../tickets/priority.ts";
import type { Stage } from "../tickets/model.ts";
import type { ChannelRef } from "../channel-ref.ts";

export interface Outage {
  id: number;
  title: string;
  services: string;
  impact: string;
  priority: Priority;
  workaround?: string;
  channels: ChannelRef[];
  /** The incident room: where the outage was declared, holding the live summary and the report. */
  room?: ChannelRef;
  status: "ongoing" | "resolved";
  ownerId: string;
  ownerName: string;
  declaredAt: DateTime;
  stage?: Stage;
  blocker?: string;
  nextAction?: string;
  cause?: string;
  /** The current estimate of restoration, when one was given. */
  estimate?: DateTime;
  lastUpdateAt: DateTime;
  nextUpdateDue: DateTime;
  resolvedAt?: DateTime;
  whatHappened?: string;
  result?: string;
  prevention?: string;
  followUp?: string;
  version: number;
  /** The pinned live summary in the incident room, when the platform has one. */
  summaryId?: string;
  /** A proposed new owner who has not accepted yet. */
  pendingOwnerId?: string;
  pendingOwnerName?: string;
}

export function outageRef(id: number): string {
  return `INC-${id}`;
}

/**
 * A channel as people read it: on Slack and Discord its mention (`<#C123>`, `<#123…>`), which the
 * platform shows with the channel's current name; a name on the shell (`#support`); a person's
 * direct messages as a mention of them (Slack `<@U123>`) or as they are (Discord's `@123`).
 */
export function channelLabel(c: ChannelRef): string {
  if (c.channel.startsWith("@") || c.channel.startsWith("#")) return c.channel;
  // A Slack user id is their direct messages.
  if (c.platform === "slack" && /^[UW][A-Z0-9]+$/.test(c.channel)) return `<@${c.channel}>`;
  return c.platform === "slack" || c.platform === "discord" ? `<#${c.channel}>` : `#${c.channel}`;
}
