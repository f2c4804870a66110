import type { Writable } from "node:stream";
import type { Reply } from "../../reply.ts";
import type { ChannelSender } from "../../outbox/outbox.ts";
import { renderText } from "./render.ts";

/** In the terminal chat, posts to channels print as they go out: "→ #support : …". */
export class ShellSender implements ChannelSender {
  constructor(private readonly output: Writable) {}

  private n = 0;

  async send(channel: string, reply: Reply, threadOf?: string): Promise<{ messageId?: string }> {
    const text = renderText(reply).split("\n").join("\n    ");
    this.output.write(`${threadOf ? `  ↳ #${channel} (fil ${threadOf})` : `→ #${channel}`} : ${text}\n`);
    return { messageId: `m${++this.n}` };
  }

  /** An edit prints the post as it now reads, marked as a replacement of the earlier one. */
  async edit(channel: string, messageId: string, reply: Reply): Promise<void> {
    const text = renderText(reply).split("\n").join("\n    ");
    this.output.write(`✎ #${channel} (${messageId}) : ${text}\n`);
  }
}
