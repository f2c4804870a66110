import type { Reply } from "../../src/reply.ts";
import type { SendError, ChannelSender } from "../../src/outbox/outbox.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";

/** A sender that records what each channel received, and can fail on demand (429, 5xx). */
export class RecordingSender implements ChannelSender {
  readonly sent: { channel: string; text: string; threadOf?: string; messageId: string }[] = [];
  private failures: SendError[] = [];

  failNext(...errors: SendError[]): void {
    this.failures.push(...errors);
  }

  async send(channel: string, reply: Reply, threadOf?: string): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const messageId = `msg-${this.sent.length + 1}`;
    this.sent.push({ channel, text: renderText(reply), ...(threadOf ? { threadOf } : {}), messageId });
    return { messageId };
  }

  /** Edits, in order: which post, and what it now reads. */
  readonly edited: { channel: string; messageId: string; text: string }[] = [];

  async edit(channel: string, messageId: string, reply: Reply): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.edited.push({ channel, messageId, text: renderText(reply) });
  }

  to(channel: string): string[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => s.text);
  }
}
