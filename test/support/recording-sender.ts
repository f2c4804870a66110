import type { Reply } from "../../src/kit/reply.ts";
import { SendError, type ChannelSender } from "../../src/outbox/outbox.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";

/** A sender that records what each channel received, and can fail on demand (429, 5xx). */
export class RecordingSender implements ChannelSender {
  readonly sent: { channel: string; text: string }[] = [];
  private failures: SendError[] = [];

  failNext(...errors: SendError[]): void {
    this.failures.push(...errors);
  }

  async send(channel: string, reply: Reply): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ channel, text: renderText(reply) });
    return { messageId: String(this.sent.length) };
  }

  to(channel: string): string[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => s.text);
  }
}
