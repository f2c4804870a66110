import type { Reply } from "../reply.ts";
import type { ChannelRef } from "../channel-ref.ts";

/**
 * A platform's incident rooms (seed 001: inform regularly, in one place): a room per outage with
 * the live summary pinned (then edited in place through the outbox, as the post `INC-<n>:summary`),
 * and the incident report attached as a file.
 */
export interface IncidentRooms {
  /** Creates (or reuses) the room, invites the owner, posts and pins the live summary. */
  open(name: string, ownerChannel: string, summary: Reply): Promise<{ room: ChannelRef; summaryId?: string }>;
  attachReport(room: ChannelRef, filename: string, title: string, markdown: string): Promise<void>;
}

/** "inc-2026-11-22-messagerie": the date and the first words of the title, as channel names allow. */
export function roomName(date: string, title: string): string {
  const slug = title
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `inc-${date}-${slug || "incident"}`;
}
