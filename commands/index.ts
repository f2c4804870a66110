import type { Command } from "../src/kit/command.ts";
import { escalateCommand } from "./escalate.ts";
import { outageCommand } from "./outage.ts";
import { ownerCommand } from "./owner.ts";
import { slaCommand } from "./sla.ts";
import { ticketCommand } from "./ticket.ts";

/** Every slash command, registered explicitly (no folder scanning): what each surface renders. */
export const commands: readonly Command[] = [ticketCommand, outageCommand, escalateCommand, ownerCommand, slaCommand];

/**
 * Buttons that stand for a subcommand on a given reference (buttons as data): each surface turns a
 * click into that subcommand with `{ ref: value }`, opening its form when fields are missing.
 */
export const buttonRoutes: Readonly<Record<string, { command: string; sub: string }>> = {
  ticket_escalate: { command: "escalate", sub: "note" },
  escalation_ack: { command: "escalate", sub: "ack" },
  escalation_info: { command: "escalate", sub: "info" },
  escalation_decide: { command: "escalate", sub: "decide" },
  draft_approve: { command: "ticket", sub: "approve" },
  draft_edit: { command: "ticket", sub: "edit" },
  draft_reject: { command: "ticket", sub: "reject" },
  owner_accept: { command: "owner", sub: "accept" },
};
