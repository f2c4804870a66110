/**
 * Every button Relais shows, by id. A button stands for a subcommand applied to its value (a ticket,
 * an escalation, a draft): each subcommand in `commands/` names the buttons that trigger it, and the
 * pipeline refuses to start unless every id below is routed exactly once (src/kit/buttons.ts).
 */
export const BUTTON_IDS = [
  "ticket_take",
  "ticket_update",
  "ticket_resolve",
  "ticket_escalate",
  "ticket_declare",
  "escalation_ack",
  "escalation_info",
  "escalation_decide",
  "draft_approve",
  "draft_edit",
  "draft_reject",
  "owner_accept",
  // The kit's own (src/kit/pipeline.ts), routed to no subcommand: a form refused after it was sent, reopened.
  "form_reopen",
] as const;

export type ButtonId = (typeof BUTTON_IDS)[number];

/** Buttons the pipeline answers itself rather than a subcommand. */
export const KIT_BUTTONS: readonly ButtonId[] = ["form_reopen"];

export function isButtonId(id: string): id is ButtonId {
  return (BUTTON_IDS as readonly string[]).includes(id);
}
