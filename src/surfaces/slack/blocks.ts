import type { KnownBlock } from "@slack/types";
import type { Reply } from "../../reply.ts";
import { clip, escapeMrkdwn } from "./mrkdwn.ts";

/** Slack's documented Block Kit limits that our messages can reach (checked in tests). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  optionText: 75,
  optionsPerSelect: 100,
  buttonText: 75,
  buttonValue: 2000,
  messageText: 40000,
} as const;

/** A neutral reply as Block Kit, plus the plain-text fallback Slack shows in notifications. */
export function toBlocks(r: Reply): { blocks: KnownBlock[]; text: string } {
  const blocks: KnownBlock[] = [];
  const plain: string[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case "header":
        blocks.push({
          type: "header",
          text: { type: "plain_text", text: clip(b.text, SLACK_LIMITS.headerText), emoji: true },
        });
        plain.push(b.text);
        break;
      case "title":
        blocks.push({
          type: "section",
          text: { type: "mrkdwn", text: clip(`*${escapeMrkdwn(b.text)}*`, SLACK_LIMITS.sectionText) },
        });
        plain.push(b.text);
        break;
      case "text":
        blocks.push(section(b.text));
        plain.push(b.text);
        break;
      case "fields":
        for (let i = 0; i < b.fields.length; i += SLACK_LIMITS.fieldsPerSection) {
          blocks.push({
            type: "section",
            fields: b.fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => ({
              type: "mrkdwn" as const,
              text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
            })),
          });
        }
        plain.push(...b.fields.map((f) => `${f.label}: ${f.value}`));
        break;
      case "list":
        // One section per chunk of lines that fits in 3,000 characters.
        for (const chunk of chunks(
          b.items.map((i) => `• ${escapeMrkdwn(i)}`),
          SLACK_LIMITS.sectionText,
        )) {
          blocks.push({ type: "section", text: { type: "mrkdwn", text: chunk } });
        }
        plain.push(...b.items);
        break;
      case "context":
        blocks.push({
          type: "context",
          elements: [{ type: "mrkdwn", text: clip(escapeMrkdwn(b.text), SLACK_LIMITS.sectionText) }],
        });
        plain.push(b.text);
        break;
      case "actions":
        blocks.push({
          type: "actions",
          elements: b.actions.map((a) => ({
            type: "button" as const,
            action_id: a.id,
            value: a.value,
            text: { type: "plain_text" as const, text: clip(a.label, SLACK_LIMITS.buttonText) },
          })),
        });
        break;
    }
  }
  const limited =
    blocks.length > SLACK_LIMITS.blocksPerMessage ? blocks.slice(0, SLACK_LIMITS.blocksPerMessage) : blocks;
  return { blocks: limited, text: clip(escapeMrkdwn(plain.join("\n")), 3000) };
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(escapeMrkdwn(text), SLACK_LIMITS.sectionText) } };
}

function chunks(lines: string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of lines.map((l) => clip(l, max))) {
    if (current && current.length + 1 + line.length > max) {
      out.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}
