/**
 * Errors users can cause, with stable codes (as bolt-js does in src/errors.ts). The domain says
 * what went wrong; each surface says it in the user's language through the message catalog
 * (`error.<code>` in src/i18n).
 */
export const ERROR_CODES = [
  "unknown_command",
  "unknown_subcommand",
  "missing_argument",
  "extra_argument",
  "invalid_reference",
  "invalid_page",
  "invalid_choice",
  "invalid_person",
  "ticket_not_found",
  "title_empty",
  "title_too_long",
  "text_too_long",
  "field_required",
  "invalid_time",
  "time_in_past",
  "illegal_transition",
  "same_priority",
  "priority_reason_required",
  "priority_reason_not_objective",
  "alternative_required",
  "confirm_not_allowed",
  "already_owner",
  "form_cancelled",
  "internal",
  "outage_not_found",
  "outage_already_resolved",
  "not_owner",
  "later_update_needs_reason",
  "no_channels",
  "escalation_not_found",
  "three_w_missing",
  "not_manager",
  "already_decided",
  "not_decided",
  "already_announced",
  "draft_not_found",
  "draft_settled",
  "no_handover",
  // One story (issue 12): links.
  "link_self",
  "link_closed",
  "link_cycle",
  "already_linked",
  "link_not_owner",
  "likely_command",
  // One story (issue 12): the escalation.
  "vague_request",
  "own_escalation",
  "not_ticket_owner",
  "option_not_described",
  // Authority (src/authority.ts).
  "owner_only",
  "manager_reason_required",
  "not_technician",
  // Issue 13: a form whose carried state Relais cannot vouch for (changed, unsigned, not the person's).
  "form_unverified",
  // Follow-up actions of an outage (src/outages/follow-ups.ts).
  "followup_action_required",
  "followup_owner_required",
  "followup_owner_unreachable",
  "followup_due_required",
  "followup_due_past",
  // A database that defends itself (issue 14): the file vanished or was replaced, or PostgreSQL stayed unreachable.
  "database_unavailable",
  // The SLA report (issue 17): a range or priority it cannot read.
  "report_range_invalid",
  "report_range_reversed",
  "report_range_too_long",
  "report_priority_unknown",
  "report_priority_twice",
  // Pick, don't type (issue 15): a channel that is not one of the platform's (a bare #name on Slack or Discord).
  "channel_not_picked",
  "too_many_channels",
  // The policy names no escalation channel on the platform the note comes from.
  "no_escalation_channel",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorParams = Record<string, string | number>;

export class RelaisError extends Error {
  override name = "RelaisError";
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

export function isRelaisError(e: unknown): e is RelaisError {
  return e instanceof RelaisError;
}
