import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  LabelBuilder,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import type { ModalSubmitInteraction } from "discord.js";
import { DateTime } from "luxon";
import type { Clock } from "../../clock.ts";
import { isRelaisError } from "../../errors.ts";
import type { Texts } from "../../i18n/index.ts";
import { formParams, type Command, type Param, type Subcommand, type Value, type Values } from "../../kit/command.ts";
import { parseValue } from "../../kit/parse.ts";
import { errorText } from "../../kit/run.ts";
import { outageRef } from "../../outages/model.ts";
import type { FormDraft } from "../../store/chat-repositories.ts";
import { ref as ticketRef } from "../../tickets/model.ts";
import { clip, DISCORD_LIMITS } from "./messages.ts";

/**
 * Forms on Discord: a modal holds at most five inputs, so a form is cut into steps of five. What
 * was typed is kept in a stored draft between steps, so an abandoned step can be resumed.
 */
export const FORM_PREFIX = "relais:form";

/** The fields still to ask, in steps of at most five. */
export function formSteps(sub: Subcommand, given: FormDraft["values"]): Param[][] {
  const missing = formParams(sub).filter((p) => given[p.id] === undefined);
  const steps: Param[][] = [];
  for (let i = 0; i < missing.length; i += DISCORD_LIMITS.modalInputs)
    steps.push(missing.slice(i, i + DISCORD_LIMITS.modalInputs));
  return steps;
}

export function modalFor(
  x: Texts,
  command: Command,
  sub: Subcommand,
  draft: FormDraft,
  initial: Record<string, string> = {},
): ModalBuilder {
  const steps = formSteps(sub, draft.values);
  const step = steps[0] ?? [];
  const total = draft.step + steps.length;
  const refParam = formParams(sub).find((p) => p.id === "ref");
  const prefix = refParam?.type.kind === "ref" ? (refParam.type.prefix ?? "T") : "T";
  const refText =
    typeof draft.values.ref === "number"
      ? prefix === "INC"
        ? outageRef(draft.values.ref)
        : ticketRef(draft.values.ref)
      : "";
  const base = sub.formTitle ? x.t(sub.formTitle, { ref: refText }) : `/${command.name} ${sub.name}`;
  const title = total > 1 ? `${base} (${draft.step + 1}/${total})` : base;
  const modal = new ModalBuilder()
    .setCustomId(`${FORM_PREFIX}:${draft.id}:${draft.step}`)
    .setTitle(clip(title, DISCORD_LIMITS.modalTitle));
  modal.addLabelComponents(...step.map((p) => label(x, p, initial[p.id])));
  return modal;
}

function label(x: Texts, p: Param, initial?: string): LabelBuilder {
  const l = new LabelBuilder().setLabel(clip(x.t(p.label), DISCORD_LIMITS.inputLabel));
  if (p.type.kind === "choice") {
    const set = p.type.set;
    const select = new StringSelectMenuBuilder()
      .setCustomId(p.id)
      .setRequired(p.required)
      .setMinValues(p.required ? 1 : 0)
      .setMaxValues(1)
      .addOptions(
        p.type.values.slice(0, DISCORD_LIMITS.selectOptions).map((v) => ({
          label: clip(x.t(`choice.${set}.${v}` as never), DISCORD_LIMITS.optionLabel),
          value: v,
          ...(v === initial ? { default: true } : {}),
        })),
      );
    return l.setStringSelectMenuComponent(select);
  }
  const multiline = p.type.kind === "text" && p.type.multiline === true;
  const input = new TextInputBuilder()
    .setCustomId(p.id)
    .setStyle(multiline ? TextInputStyle.Paragraph : TextInputStyle.Short)
    .setRequired(p.required)
    .setMaxLength(p.id === "title" ? 150 : 1000);
  if (p.type.kind === "time") input.setPlaceholder(x.t("slack.time_placeholder"));
  if (initial) input.setValue(clip(initial, p.id === "title" ? 150 : 1000));
  return l.setTextInputComponent(input);
}

/** Reads one submitted step; values are checked with the same parser as every surface. */
export function readStep(
  x: Texts,
  clock: Clock,
  sub: Subcommand,
  draft: FormDraft,
  i: ModalSubmitInteraction,
): { ok: true; values: FormDraft["values"] } | { ok: false; errors: string[] } {
  const step = formSteps(sub, draft.values)[0] ?? [];
  const values: FormDraft["values"] = { ...draft.values };
  const decoded = decode(sub, values);
  const errors: string[] = [];
  for (const p of step) {
    const raw =
      p.type.kind === "choice" ? (i.fields.getStringSelectValues(p.id)[0] ?? "") : i.fields.getTextInputValue(p.id);
    try {
      const v = parseValue({ ...p, required: p.required || p.requiredIf?.(decoded) === true }, raw, {
        texts: x,
        clock,
      });
      if (v !== undefined) {
        values[p.id] = DateTime.isDateTime(v) ? v.toISO()! : v;
        decoded[p.id] = v;
      } else values[p.id] = "";
    } catch (e) {
      if (!isRelaisError(e)) throw e;
      errors.push(errorText(x, e));
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

/** Draft values back into command values ("" marks an optional field left empty). */
export function decode(sub: Subcommand, values: FormDraft["values"]): Record<string, Value | undefined> {
  const out: Record<string, Value | undefined> = {};
  for (const p of formParams(sub)) {
    const v = values[p.id];
    if (v === undefined || v === "") continue;
    out[p.id] = p.type.kind === "time" && typeof v === "string" ? DateTime.fromISO(v) : v;
  }
  return out;
}

export function encode(values: Values): FormDraft["values"] {
  const out: FormDraft["values"] = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = DateTime.isDateTime(v) ? v.toISO()! : v;
  return out;
}

/** "Continue (2/3)" after a step, or "Try again" after a refused one. */
export function continueRow(x: Texts, draftId: number, label: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${FORM_PREFIX}:next:${draftId}`)
      .setLabel(clip(label, DISCORD_LIMITS.buttonLabel))
      .setStyle(ButtonStyle.Primary),
    new ButtonBuilder()
      .setCustomId(`${FORM_PREFIX}:cancel:${draftId}`)
      .setLabel(clip(x.t("slack.cancel"), DISCORD_LIMITS.buttonLabel))
      .setStyle(ButtonStyle.Secondary),
  );
}
