import type { KnownBlock, ModalView } from "@slack/types";
import { SLACK_LIMITS as L } from "../../src/surfaces/slack/blocks.ts";

/** Slack's documented Block Kit limits, checked on what Relais builds (messages and modals). */

/** Every violation of Slack's documented Block Kit limits found in `blocks`. */
export function violations(blocks: KnownBlock[], where: string, max: number): string[] {
  const out: string[] = [];
  const len = (s: string | undefined) => [...(s ?? "")].length;
  const check = (cond: boolean, what: string) => !cond && out.push(`${where}: ${what}`);
  check(blocks.length <= max, `${blocks.length} blocks > ${max}`);
  // biome-ignore lint/suspicious/noExplicitAny: walks arbitrary Block Kit JSON
  for (const b of blocks as unknown as Record<string, any>[]) {
    if (b.block_id) check(len(b.block_id) <= L.blockId, "block_id too long");
    if (b.type === "header") check(len(b.text.text) <= L.headerText, "header text too long");
    if (b.type === "section") {
      if (b.text) check(len(b.text.text) <= L.sectionText, `section text ${len(b.text.text)}`);
      if (b.fields) {
        check(b.fields.length <= L.fieldsPerSection, "too many fields");
        for (const f of b.fields) check(len(f.text) <= L.fieldText, `field text ${len(f.text)}`);
      }
    }
    if (b.type === "context") {
      check(b.elements.length <= L.contextElements, "too many context elements");
      for (const e of b.elements) check(len(e.text) <= L.sectionText, "context text too long");
    }
    if (b.type === "actions") {
      check(b.elements.length <= 25, "too many actions");
      for (const e of b.elements) {
        check(len(e.action_id) <= L.actionId, "action_id too long");
        check(len(e.text.text) <= L.buttonText, "button text too long");
        check(len(e.value) <= L.buttonValue, "button value too long");
      }
    }
    if (b.type === "input") {
      check(len(b.label.text) <= L.inputLabel, "input label too long");
      check(len(b.element.action_id) <= L.actionId, "action_id too long");
      for (const o of b.element.options ?? []) {
        check(len(o.text.text) <= L.optionText, `option text "${o.text.text}" too long`);
        check(len(o.value) <= 150, "option value too long");
      }
      check((b.element.options ?? []).length <= L.optionsPerSelect, "too many options");
      // Pickers (issue 15): a multi-select's cap and its initial picks, a date-time picker's epoch seconds.
      if (b.element.type === "multi_conversations_select") {
        check(b.element.max_selected_items >= 1, "max_selected_items below 1");
        check((b.element.initial_conversations ?? []).length <= b.element.max_selected_items, "too many initial picks");
        check(b.element.filter === undefined || b.element.filter.include?.length > 0, "empty conversation filter");
      }
      if (b.element.type === "datetimepicker" && b.element.initial_date_time !== undefined)
        check(/^\d{10}$/.test(String(b.element.initial_date_time)), "initial_date_time not 10-digit epoch seconds");
    }
  }
  return out;
}

export function viewViolations(v: ModalView, where: string): string[] {
  const out = violations(v.blocks as KnownBlock[], where, L.blocksPerView);
  if ([...v.title.text].length > L.modalTitle) out.push(`${where}: title "${v.title.text}" > ${L.modalTitle}`);
  if (v.submit && [...v.submit.text].length > L.modalButton) out.push(`${where}: submit too long`);
  if (v.close && [...v.close.text].length > L.modalButton) out.push(`${where}: close too long`);
  if ([...(v.private_metadata ?? "")].length > L.privateMetadata) out.push(`${where}: private_metadata too long`);
  if ((v.callback_id?.length ?? 0) > L.blockId) out.push(`${where}: callback_id too long`);
  return out;
}
