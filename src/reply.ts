import type { ButtonId } from "./buttons.ts";
import type { ErrorCode } from "./errors.ts";

/**
 * A platform-neutral reply. Commands build these; each surface renders them (plain text in the
 * shell, Block Kit on Slack, embeds on Discord). Text is already in the user's language.
 */
export type Block =
  | { type: "header"; text: string }
  /** A message's own first line in bold (a card's title): the Slack mrkdwn section, the Discord embed title. */
  | { type: "title"; text: string }
  | { type: "text"; text: string }
  | { type: "fields"; fields: { label: string; value: string }[] }
  | { type: "list"; items: string[] }
  | { type: "context"; text: string }
  /** Buttons; each surface renders them its way (Slack buttons, Discord buttons, shell hints). */
  | { type: "actions"; actions: Action[] };

/** A button: clicking it runs the subcommand routed to `id` on `value` (a ticket number, a draft…). */
export interface Action {
  id: ButtonId;
  label: string;
  value: string;
  /** A hint for surfaces that colour buttons (Discord); the others ignore it. */
  style?: "primary" | "secondary" | "success" | "danger";
}

export interface Reply {
  blocks: Block[];
  /** Shown only to the person who acted (errors, help, the queue). */
  ephemeral: boolean;
  /** Set on refusals, so surfaces and tests can tell them apart without reading text. */
  error?: ErrorCode;
  /** The ticket the reply is about, for surfaces that thread messages per ticket. */
  ticketId?: number;
  /** How urgent the subject looks, for surfaces that colour messages (Discord's embed colour). */
  accent?: "high" | "medium" | "low";
  /**
   * A file that goes with the post (the SLA report's CSV): uploaded beside it on Slack, attached to
   * it on Discord, written under the data folder by the shell. Recorded with the post in the outbox.
   */
  file?: ReplyFile;
}

export interface ReplyFile {
  name: string;
  title: string;
  content: string;
  mime: string;
}

export const reply = {
  public: (blocks: Block[], ticketId?: number): Reply => ({
    blocks,
    ephemeral: false,
    ...(ticketId ? { ticketId } : {}),
  }),
  private: (blocks: Block[]): Reply => ({ blocks, ephemeral: true }),
  text: (text: string, ticketId?: number): Reply => reply.public([{ type: "text", text }], ticketId),
  /** One line for the person who acted only (a confirmation whose public record is posted elsewhere). */
  privateText: (text: string): Reply => reply.private([{ type: "text", text }]),
};

/** The reply's own words, to quote when it could not be posted (so nothing is lost). */
export function replyText(reply: Reply): string {
  return reply.blocks
    .map((b) => ("text" in b ? b.text : ""))
    .join(" ")
    .trim();
}
