import type { WebClient } from "@slack/web-api";
import type { Reply } from "../../reply.ts";
import type { ChannelRef } from "../../channel-ref.ts";
import type { IncidentRooms } from "../../outages/rooms.ts";
import { toBlocks } from "./blocks.ts";

/**
 * Incident rooms on Slack: a public channel per outage (`inc-2026-11-22-messagerie`; `-2`, `-3` when
 * the name is taken), the owner invited, the live summary pinned (its edits go through the outbox:
 * SlackSender.edit), and the
 * report attached as a Markdown file. Needs channels:manage, pins:write and files:write.
 */
export class SlackIncidentRooms implements IncidentRooms {
  constructor(private readonly client: WebClient) {}

  async open(name: string, ownerChannel: string, summary: Reply): Promise<{ room: ChannelRef; summaryId?: string }> {
    const channel = await this.create(name);
    try {
      await this.client.conversations.invite({ channel, users: ownerChannel });
    } catch (e) {
      // Already there (the creator is a member) or a bot/guest that cannot be invited: not fatal.
      if (
        !["already_in_channel", "cant_invite_self", "user_not_found"].includes(
          (e as { data?: { error?: string } }).data?.error ?? "",
        )
      )
        throw e;
    }
    const posted = await this.client.chat.postMessage({ channel, ...toBlocks(summary) });
    if (posted.ts) await this.client.pins.add({ channel, timestamp: posted.ts });
    return { room: { platform: "slack", channel }, ...(posted.ts ? { summaryId: posted.ts } : {}) };
  }

  async attachReport(room: ChannelRef, filename: string, title: string, markdown: string): Promise<void> {
    await this.client.filesUploadV2({ channel_id: room.channel, filename, title, content: markdown });
  }

  private async create(name: string): Promise<string> {
    for (let n = 1; n <= 5; n++) {
      const candidate = n === 1 ? name : `${name.slice(0, 76)}-${n}`;
      try {
        const res = await this.client.conversations.create({ name: candidate });
        return res.channel!.id!;
      } catch (e) {
        if ((e as { data?: { error?: string } }).data?.error !== "name_taken") throw e;
      }
    }
    throw new Error(`no free channel name for ${name}`);
  }
}
