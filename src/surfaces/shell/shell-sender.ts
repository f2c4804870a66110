import type { Reply } from "../../reply.ts";
import type { ChannelSender } from "../../outbox/outbox.ts";
import { renderText } from "./render.ts";
import type { ShellScreen } from "./screen.ts";

/**
 * In the terminal chat, posts to channels print as they go out: "→ #support : …", above the line
 * the person may be typing (the prompt and what was typed are drawn again after it).
 */
export class ShellSender implements ChannelSender {
  constructor(private readonly screen: ShellScreen) {}

  private n = 0;

  async send(channel: string, reply: Reply, threadOf?: string): Promise<{ messageId?: string }> {
    const text = renderText(reply).split("\n").join("\n    ");
    this.screen.print(`${threadOf ? `  ↳ #${channel} (fil ${threadOf})` : `→ #${channel}`} : ${text}`);
    return { messageId: `m${++this.n}` };
  }

  /** An edit prints the post as it now reads, marked as a replacement of the earlier one. */
  async edit(channel: string, messageId: string, reply: Reply): Promise<void> {
    const text = renderText(reply).split("\n").join("\n    ");
    this.screen.print(`✎ #${channel} (${messageId}) : ${text}`);
  }
}
