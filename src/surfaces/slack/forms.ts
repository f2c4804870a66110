import type { ViewOutput } from "@slack/bolt";
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { DateTime } from "luxon";
import type { Texts } from "../../i18n/index.ts";
import type { Param } from "../../kit/command.ts";
import { type FormRequest, formSteps, formTitle } from "../../kit/forms.ts";
import { MAX_CHANNELS } from "../../kit/channels.ts";
import { clip } from "./mrkdwn.ts";
import { SLACK_LIMITS } from "./blocks.ts";

/**
 * A form as one Slack modal (Dispatch's sequence): the form's state rides in private_metadata, sealed
 * by Relais (src/kit/form-seal.ts) so a changed one is refused, and a submission comes back as raw
 * text by field id for the pipeline to read.
 */
export const FORM_CALLBACK_ID = "relais_form";
const ACTION_ID = "value";

export function formView(x: Texts, form: FormRequest, metadata: string): ModalView {
  const { command, sub, state, initial } = form;
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: { type: "plain_text", text: clip(formTitle(x, command, sub, state.given), SLACK_LIMITS.modalTitle) },
    submit: { type: "plain_text", text: clip(x.t("form.submit"), SLACK_LIMITS.modalButton) },
    close: { type: "plain_text", text: clip(x.t("form.cancel"), SLACK_LIMITS.modalButton) },
    private_metadata: metadata,
    blocks: (formSteps(sub, state.given)[0] ?? []).flatMap((p) =>
      p.type.kind === "person" ? personBlocks(x, p, initial[p.id]) : [inputBlock(x, p, initial[p.id])],
    ),
  };
}

function inputBlock(x: Texts, p: Param, initial?: string): KnownBlock {
  const label = { type: "plain_text" as const, text: clip(x.t(p.label), SLACK_LIMITS.inputLabel) };
  const optional = !p.required;
  const picker = pickerElement(p, initial, x.zone);
  if (picker) return { type: "input", block_id: p.id, label, optional, element: picker };
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
      ...(p.type.kind === "time" ? { placeholder: { type: "plain_text", text: x.t("form.time_placeholder") } } : {}),
    },
  };
}

/**
 * Pick, don't type (issue 15): channels from Slack's conversations picker (public and private
 * channels, no bots' DMs), a promised time from a date-time picker. What they return is read back
 * by `submittedFields` as the text the kit's parser checks, like anything typed.
 */
function pickerElement(p: Param, initial: string | undefined, zone: string): InputBlock["element"] | undefined {
  if (p.type.kind === "channel") {
    const filter = { include: ["public" as const, "private" as const], exclude_bot_users: true };
    const chosen = [...(initial ?? "").matchAll(/<#([CG][A-Z0-9-]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!);
    if (p.type.many !== true)
      return {
        type: "conversations_select",
        action_id: ACTION_ID,
        filter,
        ...(chosen[0] ? { initial_conversation: chosen[0] } : {}),
      };
    return {
      type: "multi_conversations_select",
      action_id: ACTION_ID,
      filter,
      max_selected_items: MAX_CHANNELS,
      ...(chosen.length ? { initial_conversations: chosen.slice(0, MAX_CHANNELS) } : {}),
    };
  }
  if (p.type.kind === "time" && p.type.future === true) {
    // Shown again as it was picked or proposed: `2026-11-24 15:30` in the policy's zone (or ISO).
    const at = initial ? dateTimeText(initial, zone) : undefined;
    return {
      type: "datetimepicker",
      action_id: ACTION_ID,
      ...(at?.isValid ? { initial_date_time: Math.floor(at.toSeconds()) } : {}),
    };
  }
  return undefined;
}

function dateTimeText(text: string, zone: string): DateTime {
  const local = DateTime.fromFormat(text.trim(), "yyyy-MM-dd HH:mm", { zone });
  return local.isValid ? local : DateTime.fromISO(text.trim(), { zone });
}

/** The block of a person's typed name, beside their user picker (a caller with no Slack account). */
const NAME_SUFFIX = "~name";

/**
 * A person: a `users_select` for a Slack user Relais can reach, and beside it a text input for the
 * name of a caller with no Slack account. Both optional here; the kit says when one is required.
 */
function personBlocks(x: Texts, p: Param, initial?: string): KnownBlock[] {
  const label = clip(x.t(p.label), SLACK_LIMITS.inputLabel);
  // Shown again as typed: a chosen user (`<@U123|Ana>`) in the picker, a typed name beside it.
  const user = initial ? /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(initial)?.[1] : undefined;
  const name = initial && !user ? clip(initial, 3000) : undefined;
  return [
    {
      type: "input",
      block_id: p.id,
      label: { type: "plain_text", text: label },
      optional: true,
      element: { type: "users_select", action_id: ACTION_ID, ...(user ? { initial_user: user } : {}) },
    },
    {
      type: "input",
      block_id: `${p.id}${NAME_SUFFIX}`,
      label: { type: "plain_text", text: clip(x.t("form.person_name"), SLACK_LIMITS.inputLabel) },
      optional: true,
      element: { type: "plain_text_input", action_id: ACTION_ID, ...(name ? { initial_value: name } : {}) },
    },
  ];
}

/** A modal with one message and no submit button: the answer to a submission Relais refuses whole. */
export function noticeView(x: Texts, text: string): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: clip("Relais", SLACK_LIMITS.modalTitle) },
    close: { type: "plain_text", text: clip(x.t("form.cancel"), SLACK_LIMITS.modalButton) },
    blocks: [{ type: "section", text: { type: "plain_text", text: clip(text, 3000) } }],
  };
}

/**
 * What was typed or chosen in each field of a submitted modal, by field id. A chosen user comes
 * back as `selected_user` and becomes the mention the kit reads (`<@U123|Ana>` with the name looked
 * up, `<@U123>` without); otherwise the name
 * typed beside the picker, if any. Chosen channels become their mentions (`<#C1> <#C2>`), a chosen
 * date and time (epoch seconds) the time in `zone` as typed (`2026-11-28 11:00`): the kit reads
 * them as it reads typing, so a forged value is refused as typing would be.
 */
export function submittedFields(
  view: ViewOutput,
  names: Readonly<Record<string, string>> = {},
  zone = "UTC",
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, block] of Object.entries(view.state.values)) {
    if (id.endsWith(NAME_SUFFIX)) continue;
    const field = block[ACTION_ID];
    const user = field?.selected_user;
    const typedName = view.state.values[`${id}${NAME_SUFFIX}`]?.[ACTION_ID]?.value;
    const mention = user ? (names[user] ? `<@${user}|${names[user]}>` : `<@${user}>`) : undefined;
    out[id] = mention ?? picked(field, zone) ?? field?.selected_option?.value ?? field?.value ?? typedName ?? "";
  }
  return out;
}

type StateValue = ViewOutput["state"]["values"][string][string];

/** The channels or the date and time chosen in a picker, as the text the kit parses. */
function picked(field: StateValue | undefined, zone: string): string | undefined {
  if (!field) return undefined;
  const channels = field.selected_conversations ?? (field.selected_conversation ? [field.selected_conversation] : []);
  if (field.type === "multi_conversations_select" || field.type === "conversations_select")
    return channels.map((c) => (typeof c === "string" ? `<#${c}>` : "")).join(" ");
  if (field.type === "datetimepicker") {
    const at = field.selected_date_time;
    if (at === null || at === undefined) return "";
    // Epoch seconds, or anything else sent in their place: left for the kit's parser to refuse.
    return typeof at === "number" ? DateTime.fromSeconds(at, { zone }).toFormat("yyyy-MM-dd HH:mm") : String(at);
  }
  return undefined;
}

/** The users chosen in a submitted modal's pickers (their names are looked up before reading). */
export function selectedUsers(view: ViewOutput): string[] {
  return Object.values(view.state.values).flatMap((block) => {
    const user = block[ACTION_ID]?.selected_user;
    return user ? [user] : [];
  });
}
