import type { Writable } from "node:stream";
import type { Reply } from "../../kit/reply.ts";
import type { ChannelSender } from "../../outbox/outbox.ts";
import { renderText } from "./render.ts";

/** In the terminal chat, posts to channels print as they go out: "→ #support : …". */
export class ShellSender implements ChannelSender {
  constructor(private readonly output: Writable) {}

  async send(channel: string, reply: Reply): Promise<{ messageId?: string }> {
    const text = renderText(reply).split("\n").join("\n    ");
    this.output.write(`→ #${channel} : ${text}\n`);
    return {};
  }
}
