import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { DateTime } from "luxon";
import { isRelaisError } from "../../errors.ts";
import type { Texts } from "../../i18n/index.ts";
import type { Command, Param, Subcommand, Value, Values } from "../../kit/command.ts";
import { formParams } from "../../kit/command.ts";
import { parseValue } from "../../kit/parse.ts";
import { errorText } from "../../kit/run.ts";
import type { Clock } from "../../clock.ts";
import { ref as ticketRef } from "../../tickets/model.ts";
import { outageRef } from "../../outages/model.ts";
import { clip } from "./mrkdwn.ts";
import { SLACK_LIMITS } from "./blocks.ts";

/** A command's form as a Slack modal, and a submitted modal back into values (Dispatch's sequence). */
export const FORM_CALLBACK_ID = "relais_form";
const ACTION_ID = "value";

export interface FormState {
  command: string;
  sub: string;
  channel: string;
  /** Values given before the form opened (inline arguments, the ticket of a button). */
  given: Record<string, string | number>;
}

/** Text shown already filled in, per field (not stored in private_metadata). */
export type Initial = Record<string, string>;

export function encodeValues(values: Values): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = DateTime.isDateTime(v) ? v.toISO()! : v;
  }
  return out;
}

function decodeValues(sub: Subcommand, given: Record<string, string | number>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const p of formParams(sub)) {
    const v = given[p.id];
    if (v === undefined) continue;
    out[p.id] = p.type.kind === "time" && typeof v === "string" ? DateTime.fromISO(v) : v;
  }
  return out;
}

export function formView(
  x: Texts,
  command: Command,
  sub: Subcommand,
  state: FormState,
  initial: Initial = {},
): ModalView {
  const refParam = formParams(sub).find((p) => p.id === "ref");
  const prefix = refParam?.type.kind === "ref" ? (refParam.type.prefix ?? "T") : "T";
  const ref =
    typeof state.given.ref === "number"
      ? prefix === "INC"
        ? outageRef(state.given.ref)
        : ticketRef(state.given.ref)
      : "";
  const title = sub.formTitle ? x.t(sub.formTitle, { ref }) : `/${command.name} ${sub.name}`;
  const blocks: KnownBlock[] = formParams(sub)
    .filter((p) => state.given[p.id] === undefined)
    .map((p) => inputBlock(x, p, initial[p.id]));
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: { type: "plain_text", text: clip(title, SLACK_LIMITS.modalTitle) },
    submit: { type: "plain_text", text: clip(x.t("slack.submit"), SLACK_LIMITS.modalButton) },
    close: { type: "plain_text", text: clip(x.t("slack.cancel"), SLACK_LIMITS.modalButton) },
    private_metadata: JSON.stringify(state),
    blocks,
  };
}

function inputBlock(x: Texts, p: Param, initial?: string): KnownBlock {
  const label = { type: "plain_text" as const, text: clip(x.t(p.label), SLACK_LIMITS.inputLabel) };
  const optional = !p.required;
  if (p.type.kind === "choice") {
    const set = p.type.set;
    const options: PlainTextOption[] = p.type.values.map((v) => ({
      text: { type: "plain_text", text: clip(x.t(`choice.${set}.${v}` as never), SLACK_LIMITS.optionText) },
      value: v,
    }));
    const chosen = options.find((o) => o.value === initial);
    return {
      type: "input",
      block_id: p.id,
      label,
      optional,
      element: { type: "static_select", action_id: ACTION_ID, options, ...(chosen ? { initial_option: chosen } : {}) },
    };
  }
  const multiline = p.type.kind === "text" && p.type.multiline === true;
  return {
    type: "input",
    block_id: p.id,
    label,
    optional,
    element: {
      type: "plain_text_input",
      action_id: ACTION_ID,
      multiline,
      ...(initial ? { initial_value: clip(initial, 3000) } : {}),
      ...(p.type.kind === "time" ? { placeholder: { type: "plain_text", text: x.t("slack.time_placeholder") } } : {}),
    },
  };
}

/** What Slack sends in `view.state.values`. */
export type ViewStateValues = Record<
  string,
  Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>
>;

/** Parses a submission; returns the values, or a message per block for Slack to show beside each field. */
export function readSubmission(
  x: Texts,
  clock: Clock,
  sub: Subcommand,
  state: FormState,
  submitted: ViewStateValues,
): { ok: true; values: Values } | { ok: false; errors: Record<string, string> } {
  const values: Record<string, Value | undefined> = decodeValues(sub, state.given);
  const errors: Record<string, string> = {};
  for (const p of formParams(sub)) {
    if (values[p.id] !== undefined) continue;
    const field = submitted[p.id]?.[ACTION_ID];
    const raw = field?.selected_option?.value ?? field?.value ?? "";
    try {
      values[p.id] = parseValue({ ...p, required: p.required || p.requiredIf?.(values) === true }, raw, {
        texts: x,
        clock,
      });
    } catch (e) {
      if (!isRelaisError(e)) throw e;
      errors[p.id] = errorText(x, e);
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
}
