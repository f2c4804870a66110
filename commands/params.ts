import type { Param } from "../src/kit/command.ts";
import { SHORT_MAX, title } from "../src/text.ts";
import { RESOLUTION_KINDS, PROFILES, STAGES, WAITING_ON } from "../src/tickets/model.ts";
import { IMPACTS, objectiveCriterion, PRIORITIES, URGENCIES, WORKAROUNDS } from "../src/tickets/priority.ts";

/** Parameters shared by several commands, declared once. */
export const refArg: Param = { id: "ref", label: "field.ref", type: { kind: "ref" }, required: true };

/** A text field; `max` is the domain's limit for it (src/text.ts; LONG_MAX unless told). */
const text = (id: Param["id"], label: Param["label"], required = false, multiline = false, max?: number): Param => ({
  id,
  label,
  type: { kind: "text", multiline, ...(max ? { max } : {}) },
  required,
});

export const p = {
  // The domain's title rule (empty, too long), so a form shows it beside the field.
  title: { ...text("title", "field.title", true), rest: true, check: (t) => void title(t) },
  // A chat user Relais can reach, or the name of a caller with no chat account (PRODUCT "One story").
  requester: { id: "requester", label: "field.requesterPerson", type: { kind: "person" }, required: false },
  department: text("department", "field.department", false, false, SHORT_MAX),
  workstation: text("workstation", "field.workstation", false, false, SHORT_MAX),
  impact: {
    id: "impact",
    label: "field.impact",
    type: { kind: "choice", set: "impact", values: IMPACTS },
    required: false,
  },
  urgency: {
    id: "urgency",
    label: "field.urgency",
    type: { kind: "choice", set: "urgency", values: URGENCIES },
    required: false,
  },
  workaround: {
    id: "workaround",
    label: "field.workaround",
    // Asked as a yes/no question ("Contournement ?"): "non"/"no" says there is none.
    type: {
      kind: "choice",
      set: "workaround",
      values: WORKAROUNDS,
      aliases: { non: "none", no: "none", aucun: "none" },
    },
    required: false,
  },
  workaroundText: text("workaroundText", "field.workaroundText", false, true),
  since: text("since", "field.since", false, false, SHORT_MAX),
  changed: text("changed", "field.changed", false, true),
  reproducible: text("reproducible", "field.reproducible", false, false, SHORT_MAX),
  scope: text("scope", "field.scope", false, false, SHORT_MAX),
  errorMessage: text("errorMessage", "field.errorMessage", false, true),
  profile: {
    id: "profile",
    label: "field.profile",
    type: { kind: "choice", set: "profile", values: PROFILES },
    required: false,
  },
  stage: {
    id: "stage",
    label: "field.stage",
    type: {
      kind: "choice",
      set: "stage",
      values: STAGES,
      aliases: { logs: "log_analysis", diagnosis: "diagnostic", deploy: "deployment" },
    },
    required: true,
  },
  nextAction: { ...text("nextAction", "field.nextAction", true, true), rest: true },
  blocker: text("blocker", "field.blocker", false, true),
  lastAction: text("lastAction", "field.lastAction", false, true),
  nextUpdate: { id: "nextUpdate", label: "field.nextUpdate", type: { kind: "time", future: true }, required: false },
  priority: {
    id: "priority",
    label: "field.priority",
    type: { kind: "choice", set: "priority", values: PRIORITIES },
    required: true,
  },
  // Not required here: the domain's refusal explains what a valid reason is (rule 2).
  reason: { ...text("reason", "field.reason"), rest: true },
  // A priority change's reason names an objective criterion (rule 2), refused beside the field.
  priorityReason: { ...text("reason", "field.reason"), rest: true, check: (t) => void objectiveCriterion(t) },
  waitingOn: {
    id: "waitingOn",
    label: "field.waitingOn",
    type: {
      kind: "choice",
      set: "waitingOn",
      values: WAITING_ON,
      aliases: { tiers: "third-party", demandeur: "requester", "third party": "third-party" },
    },
    required: true,
  },
  waitingFor: { ...text("waitingFor", "field.waitingFor", true), rest: true },
  kind: {
    id: "kind",
    label: "field.kind",
    type: {
      kind: "choice",
      set: "kind",
      values: RESOLUTION_KINDS,
      aliases: { resolu: "fixed", refus: "wont_do", "wont-do": "wont_do", contourne: "workaround" },
    },
    required: true,
  },
  note: { ...text("note", "field.note", false, true), rest: true },
  alternative: { ...text("alternative", "field.alternative", false, true), requiredIf: (v) => v.kind === "wont_do" },
} satisfies Record<string, Param>;
