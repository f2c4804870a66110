import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Reply, ReplyFile } from "../../reply.ts";
import type { ChannelSender } from "../../outbox/outbox.ts";
import { renderText } from "./render.ts";
import type { ShellScreen } from "./screen.ts";

/** Writes a reply's file (the SLA report's CSV) in `dir` (created if need be); returns its path. */
export function writeReplyFile(dir: string, file: ReplyFile): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file.name.replace(/[^\w.-]/g, "_"));
  writeFileSync(path, file.content, "utf8");
  return path;
}

/**
 * In the terminal chat, posts to channels print as they go out: "→ #support : …", above the line
 * the person may be typing (the prompt and what was typed are drawn again after it).
 */
export class ShellSender implements ChannelSender {
  /** `filesDir`: where a post's file (the SLA report's CSV) is written, under the data folder. */
  constructor(
    private readonly screen: ShellScreen,
    private readonly filesDir?: string,
  ) {}

  private n = 0;

  async send(channel: string, reply: Reply, threadOf?: string): Promise<{ messageId?: string }> {
    let text = renderText(reply).split("\n").join("\n    ");
    if (reply.file && this.filesDir) text += `\n    📎 ${writeReplyFile(this.filesDir, reply.file)}`;
    this.screen.print(`${threadOf ? `  ↳ #${channel} (fil ${threadOf})` : `→ #${channel}`} : ${text}`);
    return { messageId: `m${++this.n}` };
  }

  /** An edit prints the post as it now reads, marked as a replacement of the earlier one. */
  async edit(channel: string, messageId: string, reply: Reply): Promise<void> {
    const text = renderText(reply).split("\n").join("\n    ");
    this.screen.print(`✎ #${channel} (${messageId}) : ${text}`);
  }
}
