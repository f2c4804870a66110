/**
 * Where a message goes, on any surface: a channel on a platform; and where a person is reached
 * privately (an actor id names its platform). Outages, tickets, escalations, the SLA report and the
 * delivery alerts all address posts this way.
 */

/** A channel on a platform (an outage's affected channel, a ticket's card channel, a person's DMs). */
export interface ChannelRef {
  platform: string;
  channel: string;
}

/** The platform an actor id names ("slack:U1" → "slack"); a bare id is the shell's. */
export function platformOfId(actorId: string): string {
  const i = actorId.indexOf(":");
  return i < 0 ? "shell" : actorId.slice(0, i);
}

/** Where to reach a person privately, from their actor id ("slack:U1", "shell:ana"). */
export function platformOf(actorId: string): ChannelRef {
  const platform = platformOfId(actorId);
  if (platform === "shell" && !actorId.startsWith("shell:")) return { platform, channel: actorId };
  const id = actorId.slice(platform.length + 1);
  // Slack takes a user id as a DM channel; Discord needs a DM channel opened first ("@" marks it).
  return { platform, channel: platform === "discord" ? `@${id}` : id };
}
