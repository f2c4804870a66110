import type { Command } from "../src/kit/command.ts";
import { escalateCommand } from "./escalate.ts";
import { outageCommand } from "./outage.ts";
import { ownerCommand } from "./owner.ts";
import { slaCommand } from "./sla.ts";
import { ticketCommand } from "./ticket.ts";

/** Every slash command, registered explicitly (no folder scanning): what each surface renders. */
export const commands: readonly Command[] = [ticketCommand, outageCommand, escalateCommand, ownerCommand, slaCommand];
