import type { UnitOfWork } from "../unit-of-work.ts";
import type { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { Policy } from "../config/policy.ts";
import type { MessageKey, Texts } from "../i18n/index.ts";
import type { SlaClock } from "../sla/sla-clock.ts";
import type { SlaReports } from "../sla/report-service.ts";
import type { TicketService } from "../tickets/service.ts";
import type { OutageService } from "../outages/service.ts";
import type { FollowUps } from "../outages/follow-ups.ts";
import type { EscalationService } from "../escalations/service.ts";
import type { OneVoice } from "../tickets/one-voice.ts";
import type { DeliveryAlerts } from "../outbox/delivery.ts";
import type { ChannelRef } from "../channel-ref.ts";
import type { Actor } from "../timeline/events.ts";
import type { Reply } from "../reply.ts";
import type { ButtonId } from "../buttons.ts";

/**
 * The shape of a platform-neutral command (commands/*.ts). A surface parses what the platform
 * sends into these values, opens `form` when required values are missing, and renders the Reply.
 */
export type ValueType =
  /** A reference: T-<n> for tickets, INC-<n> for outages. */
  | { kind: "ref"; prefix?: "T" | "INC" | "E" | "D" }
  /** Values are canonical ids; labels come from `choice.<set>.<value>` in the catalog. */
  | { kind: "choice"; set: string; values: readonly string[]; aliases?: Readonly<Record<string, string>> }
  /** `max`: the most characters the domain keeps for this field (src/text.ts limits); LONG_MAX by default. */
  | { kind: "text"; multiline?: boolean; max?: number }
  /** `future`: the domain refuses a time already passed (a promised next update, an ETA). */
  | { kind: "time"; future?: boolean }
  /** A person: a chat user (Slack `<@U123|ana>`, Discord `<@123>`, shell `@ana`) Relais can reach,
   * or a plain name (a caller with no chat account). Parsed into a `Person`. */
  | { kind: "person" }
  /** Channels: picked in a form or typed as the platform's mention (Slack `<#C123|name>`, Discord
   * `<#123>`), the shell's `#name`; stored by id (src/kit/channels.ts). `many`: several at once. */
  | { kind: "channel"; many?: boolean };

export interface Param {
  id: string;
  label: MessageKey;
  type: ValueType;
  required: boolean;
  /** Takes the rest of the line (the last inline argument), or the words up to a person's mention
   * when a person argument follows it (src/kit/parse.ts parseArgs). */
  rest?: boolean;
  /** Required only when other values call for it (e.g. an alternative when refusing). */
  requiredIf?: (values: Values) => boolean;
  /**
   * A rule on the typed text (after cleaning) that can be known at submission: throws a RelaisError
   * so every surface shows it beside the field (Slack `response_action: errors`, Discord's step
   * errors, the shell's prompt asked again). The domain keeps the same rule for its own callers.
   */
  check?: (text: string) => void;
}

/** A person as given: `id` (an actor id, "slack:U123") when Relais can reach them, and a name. */
export interface Person {
  id?: string;
  name: string;
}

/** Channel ids (the shell: names), in the order given. */
export type Channels = readonly string[];

export type Value = number | string | DateTime | Person | Channels;
export type Values = Readonly<Record<string, Value | undefined>>;

export interface Services {
  tickets: TicketService;
  outages: OutageService;
  /** An outage's follow-up actions: tickets with an owner and a due date. */
  followUps: FollowUps;
  escalations: EscalationService;
  voice: OneVoice;
  /** Posts that did not go out when promised, told to owners and listed. */
  delivery: DeliveryAlerts;
  sla: SlaClock;
  /** The SLA report (`/sla report`) and its weekly post. */
  reports: SlaReports;
  policy: Policy;
  clock: Clock;
  /** A command's writes as one transaction (src/unit-of-work.ts). */
  unit: UnitOfWork;
}

export interface CommandContext {
  actor: Actor;
  /** Where the command was typed, when the surface has channels (the incident room of an outage). */
  channel?: ChannelRef;
  texts: Texts;
  services: Services;
}

export interface Subcommand {
  name: string;
  /** French words accepted as well (Slack, shell); Discord shows them as localisations. */
  aliases: readonly string[];
  summary: MessageKey;
  /** Inline arguments, in order. */
  args: readonly Param[];
  /** Extra fields asked in the form (after the args that are missing). */
  fields?: readonly Param[];
  formTitle?: MessageKey;
  /** Buttons that run this subcommand on their value (its first argument); each id is routed once. */
  buttons?: readonly ButtonId[];
  /** Checks the given values before a form opens (the ticket exists, the action is allowed), so
   * nobody fills in a form that would be refused. Throws a RelaisError. */
  precheck?(values: Values, ctx: CommandContext): Promise<void>;
  /**
   * Checks a filled-in form's values at submission, before the ack, for the refusals that need
   * more than one field or the stored state (the escalation's 3W). Throws a RelaisError; a
   * `fields` param (comma-separated field ids) or `field` says which fields it goes beside.
   */
  validate?(values: Values, ctx: CommandContext): Promise<void>;
  /** Values the form shows already filled in (as text), e.g. a colleague's draft to edit. */
  defaults?(values: Values, ctx: CommandContext): Promise<Record<string, string>>;
  run(values: Values, ctx: CommandContext): Promise<Reply>;
}

export interface Command {
  name: string;
  aliases: readonly string[];
  summary: MessageKey;
  subcommands: readonly Subcommand[];
  /** The subcommand for `/name` alone (its form opens). */
  whenEmpty?: string;
  /** The subcommand for `/name <free text>` (the text is its rest argument). */
  whenText?: string;
}

export function formParams(sub: Subcommand): Param[] {
  return [...sub.args, ...(sub.fields ?? [])];
}

/** The value a routed button carries, as its subcommand's first argument expects it. */
export function buttonValue(sub: Subcommand, raw: string): string | number {
  return sub.args[0]?.type.kind === "ref" ? Number(raw) : raw;
}
