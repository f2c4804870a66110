import { clearLine, cursorTo, type Interface } from "node:readline";
import type { Writable } from "node:stream";

/**
 * The terminal the shell writes to. What arrives while the person is typing (a post from the
 * outbox) is printed above the line being typed: the line is cleared, the post written, then
 * readline draws the prompt again with what was typed so far, the cursor where it was.
 */
export class ShellScreen {
  private rl: Interface | undefined;
  private waiting = false;

  constructor(readonly output: Writable) {}

  /** The readline interface reading the person's lines, in terminal mode (an interactive shell). */
  attach(rl: Interface): void {
    this.rl = rl;
  }

  /** Shows the prompt; the person is typing until `typed` is called. */
  prompt(): void {
    this.waiting = true;
    this.rl?.prompt();
  }

  /** A line was entered: what is printed now goes after it. */
  typed(): void {
    this.waiting = false;
  }

  /** A line of the shell's own (a reply, a question). */
  write(text: string): void {
    this.output.write(`${text}\n`);
  }

  /** A line from elsewhere (an outbox post), printed without garbling the line being typed. */
  print(text: string): void {
    const rl = this.rl;
    if (!rl || !this.waiting) {
      this.write(text);
      return;
    }
    clearLine(this.output, 0);
    cursorTo(this.output, 0);
    this.output.write(`${text}\n`);
    rl.prompt(true);
  }
}
