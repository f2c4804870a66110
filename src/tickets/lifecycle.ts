import { RelaisError } from "../errors.ts";
import type { Status } from "./model.ts";

/**
 * The ticket lifecycle: new → acknowledged → in progress → waiting → resolved → closed, and reopen.
 * Each action lists the states it may start from and the state it leads to; anything else is an
 * illegal transition, refused with the states that would have allowed it.
 */
export const ACTIONS = {
  take: { from: ["new", "acknowledged", "in_progress", "waiting"], to: null },
  update: { from: ["new", "acknowledged", "in_progress", "waiting"], to: "in_progress" },
  priority: { from: ["new", "acknowledged", "in_progress", "waiting"], to: null },
  wait: { from: ["new", "acknowledged", "in_progress", "waiting"], to: "waiting" },
  resolve: { from: ["new", "acknowledged", "in_progress", "waiting"], to: "resolved" },
  confirm: { from: ["resolved"], to: "closed" },
  close: { from: ["resolved"], to: "closed" },
  reopen: { from: ["resolved", "closed"], to: "in_progress" },
  escalate: { from: ["new", "acknowledged", "in_progress", "waiting"], to: null },
} as const satisfies Record<string, { from: readonly Status[]; to: Status | null }>;

export type Action = keyof typeof ACTIONS;

/** The state `action` leads to from `status` (null: unchanged), or an `illegal_transition` error. */
export function transition(action: Action, status: Status, ticketRef: string): Status | null {
  const rule = ACTIONS[action];
  if (!(rule.from as readonly Status[]).includes(status)) {
    throw new RelaisError("illegal_transition", { ref: ticketRef, action, status });
  }
  return rule.to;
}
