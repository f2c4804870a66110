import type { Param } from "../src/kit/command.ts";
import { RESOLUTION_KINDS, PROFILES, STAGES, WAITING_ON } from "../src/tickets/model.ts";
import { IMPACTS, PRIORITIES, URGENCIES, WORKAROUNDS } from "../src/tickets/priority.ts";

/** Parameters shared by several commands, declared once. */
export const refArg: Param = { id: "ref", label: "field.ref", type: { kind: "ref" }, required: true };

const text = (id: Param["id"], label: Param["label"], required = false, multiline = false): Param => ({
  id,
  label,
  type: { kind: "text", multiline },
  required,
});

export const p = {
  title: { ...text("title", "field.title", true), rest: true },
  // A chat user Relais can reach, or the name of a caller with no chat account (PRODUCT "One story").
  requester: { id: "requester", label: "field.requesterPerson", type: { kind: "person" }, required: false },
  department: text("department", "field.department"),
  workstation: text("workstation", "field.workstation"),
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
    type: { kind: "choice", set: "workaround", values: WORKAROUNDS },
    required: false,
  },
  workaroundText: text("workaroundText", "field.workaroundText", false, true),
  since: text("since", "field.since"),
  changed: text("changed", "field.changed", false, true),
  reproducible: text("reproducible", "field.reproducible"),
  scope: text("scope", "field.scope"),
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
  nextUpdate: { id: "nextUpdate", label: "field.nextUpdate", type: { kind: "time" }, required: false },
  priority: {
    id: "priority",
    label: "field.priority",
    type: { kind: "choice", set: "priority", values: PRIORITIES },
    required: true,
  },
  // Not required here: the domain's refusal explains what a valid reason is (rule 2).
  reason: { ...text("reason", "field.reason"), rest: true },
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
