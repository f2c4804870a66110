import type { ModalSubmitInteraction } from "discord.js";
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInLabel,
  type APIModalInteractionResponseCallbackData,
  ChannelType,
  ComponentType,
  SelectMenuDefaultValueType,
  TextInputStyle,
} from "discord-api-types/v10";
import type { Texts } from "../../i18n/index.ts";
import type { Command, Param, Subcommand } from "../../kit/command.ts";
import { type Encoded, formSteps, formTitle } from "../../kit/forms.ts";
import type { FormDraft } from "../../store/chat-repositories.ts";
import { button, clip, DISCORD_LIMITS } from "./messages.ts";

/**
 * Forms on Discord: a modal holds at most five inputs, so a form is cut into steps of five. What
 * was typed is kept in a stored draft between steps, so an abandoned step can be resumed.
 */
export const FORM_PREFIX = "relais:form";

/** The fields still to ask, in steps of at most five. */
export function modalSteps(sub: Subcommand, given: Encoded): Param[][] {
  return formSteps(sub, given, DISCORD_LIMITS.modalInputs);
}

/**
 * The modal of the form's next step, as the API's own shape (discord-api-types): discord.js's
 * builders validate every setter through shapeshift, which builds an Error for each union
 * alternative it rejects (420–640 µs a modal, measured; opening a form is the interaction's answer).
 * The limits are ours to keep (clip, test/surfaces/discord/discord-limits.test.ts).
 */
export function modalFor(
  x: Texts,
  command: Command,
  sub: Subcommand,
  draft: FormDraft,
  initial: Record<string, string> = {},
): APIModalInteractionResponseCallbackData {
  const steps = modalSteps(sub, draft.values);
  const step = steps[0] ?? [];
  const total = draft.step + steps.length;
  const base = formTitle(x, command, sub, draft.values);
  const title = total > 1 ? `${base} (${draft.step + 1}/${total})` : base;
  // What was typed before (a refused step, a reopened form) over what the form proposes.
  const shown = { ...initial, ...draft.typed };
  return {
    custom_id: `${FORM_PREFIX}:${draft.id}:${draft.step}`,
    title: clip(title, DISCORD_LIMITS.modalTitle),
    components: step.map((p) => ({
      type: ComponentType.Label,
      label: clip(x.t(p.label), DISCORD_LIMITS.inputLabel),
      component: input(x, p, shown[p.id]),
    })),
  };
}

/** A field's input inside its label: a select where there is something to pick, else a text input. */
function input(x: Texts, p: Param, initial?: string): APIComponentInLabel {
  const required = { required: p.required, min_values: p.required ? 1 : 0 };
  if (p.type.kind === "choice") {
    const set = p.type.set;
    return {
      type: ComponentType.StringSelect,
      custom_id: p.id,
      ...required,
      max_values: 1,
      options: p.type.values.slice(0, DISCORD_LIMITS.selectOptions).map((v) => ({
        label: clip(x.t(`choice.${set}.${v}` as never), DISCORD_LIMITS.optionLabel),
        value: v,
        ...(v === initial ? { default: true } : {}),
      })),
    };
  }
  if (p.type.kind === "channel") {
    // Pick, don't type (issue 15): the server's text and announcement channels, their ids come back.
    const max = p.type.many === true ? DISCORD_LIMITS.selectOptions : 1;
    const chosen = [...(initial ?? "").matchAll(/<#(\d{5,25})>/g)].map((m) => m[1]!).slice(0, max);
    return {
      type: ComponentType.ChannelSelect,
      custom_id: p.id,
      channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      ...required,
      max_values: max,
      ...(chosen.length > 0
        ? { default_values: chosen.map((id) => ({ id, type: SelectMenuDefaultValueType.Channel })) }
        : {}),
    };
  }
  if (p.type.kind === "person") {
    // A member of the server Relais can reach privately (a user select in a label).
    const chosen = initial ? /^<@!?(\d{5,25})(?:\|[^>]*)?>$/.exec(initial)?.[1] : undefined;
    return {
      type: ComponentType.UserSelect,
      custom_id: p.id,
      ...required,
      max_values: 1,
      ...(chosen ? { default_values: [{ id: chosen, type: SelectMenuDefaultValueType.User }] } : {}),
    };
  }
  const multiline = p.type.kind === "text" && p.type.multiline === true;
  const max = p.id === "title" ? 150 : 1000;
  return {
    type: ComponentType.TextInput,
    custom_id: p.id,
    style: multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: p.required,
    max_length: max,
    ...(p.type.kind === "time" ? { placeholder: x.t("form.time_placeholder") } : {}),
    ...(initial ? { value: clip(initial, max) } : {}),
  };
}

/** What was typed or chosen in each input of a submitted modal, by field id. */
export function submittedFields(i: ModalSubmitInteraction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, field] of i.fields.fields) {
    if (field.type === ComponentType.TextInput) out[id] = field.value;
    else if (field.type === ComponentType.StringSelect) out[id] = field.values?.[0] ?? "";
    // A chosen user becomes the mention the kit reads as a person, with the name Discord resolved.
    else if (field.type === ComponentType.UserSelect) out[id] = chosenUser(field);
    // Chosen channels become their mentions, which the kit reads (and checks) as channel ids.
    else if (field.type === ComponentType.ChannelSelect) out[id] = (field.values ?? []).map((c) => `<#${c}>`).join(" ");
  }
  return out;
}

/**
 * `<@id|Name>` for a user chosen in a select or a User option (server nickname, else display name),
 * `<@id>` unresolved.
 */
export function chosenUser(field: {
  values?: readonly string[];
  users?: ReadonlyMap<string, { globalName?: string | null; global_name?: string | null; username: string }>;
  members?: ReadonlyMap<string, unknown>;
}): string {
  const id = field.values?.[0];
  if (!id) return "";
  const member = field.members?.get(id) as { nick?: string | null; displayName?: string } | undefined;
  const user = field.users?.get(id);
  const name = member?.nick ?? user?.globalName ?? user?.global_name ?? user?.username;
  const clean = name?.replace(/[<>|@\n]/g, "").trim();
  return clean ? `<@${id}|${clean}>` : `<@${id}>`;
}

/** "Continue (2/3)" after a step, or "Try again" after a refused one. */
export function continueRow(x: Texts, draftId: number, label: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      button(`${FORM_PREFIX}:next:${draftId}`, label, "primary"),
      button(`${FORM_PREFIX}:cancel:${draftId}`, x.t("form.cancel"), "secondary"),
    ],
  };
}
