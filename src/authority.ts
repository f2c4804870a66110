import { RelaisError, type ErrorCode } from "./errors.ts";
import type { MessageKey } from "./i18n/index.ts";

/**
 * Who may do what (PRODUCT.md "Authority", rule 6 "one voice"), written once as data. Every
 * service asks `authorize` before it changes anything, and every form's precheck asks the same
 * function, so nobody fills in a form that will be refused. README prints `authorityTable()`.
 */

/**
 * The roles an actor can hold towards a subject (a ticket, an outage, an escalation, a draft):
 * - owner: owns the subject (for an escalation's answer and announcement: the ticket's owner);
 * - requester: the ticket's requester; technician: anyone but the ticket's requester;
 * - manager: the policy's managers (ids or Discord role);
 * - author: wrote the escalation; receiver: anyone but the escalation's author;
 * - pending_owner: named by a pending handover; anyone: anyone.
 */
export const ROLES = [
  "anyone",
  "technician",
  "owner",
  "requester",
  "manager",
  "author",
  "receiver",
  "pending_owner",
] as const;
export type Role = (typeof ROLES)[number];

export interface Rule {
  /** What the action is, as README prints it. */
  label: string;
  /** The roles that may, first match wins (the role the action is recorded as). */
  may: readonly Role[];
  /**
   * What happens to anyone else: their update becomes a draft for the owner, their take a
   * handover request to the owner, or a refusal with `refusal`'s code naming who may.
   */
  others: "draft" | "handover" | "refuse";
  /** A manager may act over the owner when the action carries its reason (recorded on the timeline). */
  managerOverride?: true;
  refusal: ErrorCode;
  /** Who may, as the refusal says it (filled with the owner's name and the reference). */
  who: MessageKey;
}

const ownerOrManager = {
  may: ["owner"],
  others: "refuse",
  managerOverride: true,
  refusal: "owner_only",
  who: "authority.who.owner_or_manager",
} as const;

export const AUTHORITY = {
  open: { label: "open a ticket", may: ["anyone"], others: "refuse", refusal: "internal", who: "authority.who.anyone" },
  follow_up: {
    label: "follow a ticket up (`show`, mention)",
    may: ["anyone"],
    others: "refuse",
    refusal: "internal",
    who: "authority.who.anyone",
  },
  take_unowned: {
    label: "take an unowned ticket",
    may: ["technician"],
    others: "refuse",
    refusal: "not_technician",
    who: "authority.who.technician",
  },
  take_owned: {
    label: "take an owned ticket",
    may: ["owner"],
    others: "handover",
    managerOverride: true,
    refusal: "owner_only",
    who: "authority.who.owner_or_manager",
  },
  update: {
    label: "post a status update",
    may: ["owner"],
    others: "draft",
    refusal: "not_owner",
    who: "authority.who.owner",
  },
  priority: { label: "change the priority", ...ownerOrManager },
  wait: { label: "put on hold (pauses the SLA)", ...ownerOrManager },
  resolve: { label: "resolve", ...ownerOrManager },
  close: { label: "close", ...ownerOrManager },
  reopen: { label: "reopen", ...ownerOrManager },
  link: {
    label: "link under a parent ticket",
    may: ["owner", "manager"],
    others: "refuse",
    refusal: "link_not_owner",
    who: "authority.who.owner_or_any_manager",
  },
  declare_from_ticket: {
    label: "declare an outage from a ticket",
    may: ["owner", "manager"],
    others: "refuse",
    refusal: "link_not_owner",
    who: "authority.who.owner_or_any_manager",
  },
  confirm: {
    label: "confirm a resolution",
    may: ["requester", "owner", "manager"],
    others: "refuse",
    refusal: "confirm_not_allowed",
    who: "authority.who.confirmers",
  },
  propose_owner: {
    label: "propose a new owner (`/owner`)",
    may: ["owner", "manager"],
    others: "refuse",
    refusal: "not_owner",
    who: "authority.who.owner_or_any_manager",
  },
  accept_handover: {
    label: "accept a handover",
    may: ["pending_owner"],
    others: "refuse",
    refusal: "no_handover",
    who: "authority.who.pending_owner",
  },
  draft: {
    label: "publish, edit or reject a draft",
    may: ["owner"],
    others: "refuse",
    refusal: "not_owner",
    who: "authority.who.owner",
  },
  outage_update: {
    label: "post an outage update",
    may: ["owner"],
    others: "draft",
    refusal: "not_owner",
    who: "authority.who.owner",
  },
  outage_resolve: {
    label: "resolve an outage",
    may: ["owner"],
    others: "refuse",
    managerOverride: true,
    refusal: "not_owner",
    who: "authority.who.owner_or_manager",
  },
  outage_report: {
    label: "read an outage's incident report",
    may: ["owner", "manager"],
    others: "refuse",
    refusal: "not_owner",
    who: "authority.who.owner_or_any_manager",
  },
  outage_follow_up: {
    label: "add a follow-up action to an outage",
    may: ["owner", "manager"],
    others: "refuse",
    refusal: "not_owner",
    who: "authority.who.owner_or_any_manager",
  },
  escalate: {
    label: "escalate a ticket",
    may: ["owner"],
    others: "refuse",
    refusal: "owner_only",
    who: "authority.who.owner",
  },
  acknowledge: {
    label: "acknowledge (take over) an escalation",
    may: ["receiver"],
    others: "refuse",
    refusal: "own_escalation",
    who: "authority.who.receiver",
  },
  ask_info: {
    label: "ask for information on an escalation",
    may: ["receiver"],
    others: "refuse",
    refusal: "own_escalation",
    who: "authority.who.receiver",
  },
  answer_info: {
    label: "answer an information request",
    may: ["owner"],
    others: "refuse",
    refusal: "not_ticket_owner",
    who: "authority.who.owner",
  },
  decide: {
    label: "decide an escalation (once)",
    may: ["manager"],
    others: "refuse",
    refusal: "not_manager",
    who: "authority.who.manager",
  },
  announce: {
    label: "announce a decision (once)",
    may: ["owner"],
    others: "refuse",
    refusal: "not_owner",
    who: "authority.who.owner",
  },
} as const satisfies Record<string, Rule>;

export type AuthorityAction = keyof typeof AUTHORITY;
export const AUTHORITY_ACTIONS = Object.keys(AUTHORITY) as AuthorityAction[];

/** What is known about the actor and the subject when the action is asked for. */
export interface Facts {
  actorId: string;
  /** The actor is one of the policy's managers. */
  manager: boolean;
  /** The subject's owner (for escalation steps: the ticket's owner); undefined when unowned. */
  ownerId?: string | undefined;
  requesterId?: string | undefined;
  /** The escalation's author. */
  authorId?: string | undefined;
  pendingOwnerId?: string | undefined;
  /** The action carries its reason (priority reason, wait's "what", a note): a manager may override. */
  reason?: boolean;
}

export type Decision =
  /** `over`: a manager acting over the subject's owner (recorded on the timeline). */
  | { result: "allowed"; as: Role; over?: string }
  | { result: "draft" }
  | { result: "handover" }
  | { result: "refused"; code: ErrorCode; who: MessageKey };

function holds(role: Role, f: Facts): boolean {
  switch (role) {
    case "anyone":
      return true;
    case "technician":
      return f.requesterId === undefined || f.actorId !== f.requesterId;
    case "owner":
      return f.ownerId !== undefined && f.actorId === f.ownerId;
    case "requester":
      return f.requesterId !== undefined && f.actorId === f.requesterId;
    case "manager":
      return f.manager;
    case "author":
      return f.authorId !== undefined && f.actorId === f.authorId;
    case "receiver":
      return f.authorId !== undefined && f.actorId !== f.authorId;
    case "pending_owner":
      return f.pendingOwnerId !== undefined && f.actorId === f.pendingOwnerId;
  }
}

/** The one decision: may this actor do `action` on this subject, and as what? */
export function decide(action: AuthorityAction, f: Facts): Decision {
  const rule: Rule = AUTHORITY[action];
  const as = rule.may.find((role) => holds(role, f));
  const over = f.ownerId !== undefined && f.actorId !== f.ownerId ? { over: f.ownerId } : {};
  if (as) return { result: "allowed", as, ...(as === "manager" ? over : {}) };
  if (rule.managerOverride && f.manager && f.reason) return { result: "allowed", as: "manager", ...over };
  if (rule.others === "draft") return { result: "draft" };
  if (rule.others === "handover") return { result: "handover" };
  if (rule.managerOverride && f.manager) return { result: "refused", code: "manager_reason_required", who: rule.who };
  return { result: "refused", code: rule.refusal, who: rule.who };
}

export type Outcome = Exclude<Decision, { result: "refused" }>;

/**
 * `decide`, throwing the refusal: its code, who may (`who`, a catalog key filled with `params`:
 * the reference, the owner's name…) and `action`, in the person's language.
 */
export function authorize(action: AuthorityAction, f: Facts, params: Record<string, string | number>): Outcome {
  const d = decide(action, f);
  if (d.result === "refused") throw refusal(action, d.code, params);
  return d;
}

/**
 * For a caller that only acts (the service behind a draft or a handover request): a draft or a
 * handover outcome is refused there with the table's refusal, naming who may.
 */
export function authorizeAct(
  action: AuthorityAction,
  f: Facts,
  params: Record<string, string | number>,
): Extract<Decision, { result: "allowed" }> {
  const d = authorize(action, f, params);
  if (d.result !== "allowed") throw refusal(action, AUTHORITY[action].refusal, params);
  return d;
}

function refusal(action: AuthorityAction, code: ErrorCode, params: Record<string, string | number>): RelaisError {
  return new RelaisError(code, { ...params, who: AUTHORITY[action].who, act: `authority.act.${action}` });
}

/** What the timeline records of a manager's override: who acted over whom (names). */
export function overrideData(d: Outcome, ownerName: string | undefined): Record<string, unknown> {
  return d.result === "allowed" && d.over !== undefined ? { override: { as: d.as, over: ownerName ?? d.over } } : {};
}

const ROLE_TEXT: Record<Role, string> = {
  anyone: "anyone",
  technician: "any technician (anyone but the requester)",
  owner: "the owner",
  requester: "the requester",
  manager: "a manager",
  author: "the escalation's author",
  receiver: "anyone but the escalation's author",
  pending_owner: "the named new owner",
};

const OTHERS_TEXT: Record<Exclude<Rule["others"], "refuse">, string> = {
  draft: "a draft for the owner",
  handover: "a handover request to the owner",
};

/** The table as README prints it, padded as the formatter lays Markdown tables out (a test keeps README equal to it). */
export function authorityTable(): string {
  const header = ["action", "id", "who may", "anyone else", "manager override"];
  const rows = AUTHORITY_ACTIONS.map((action) => {
    const rule: Rule = AUTHORITY[action];
    const others = rule.may.includes("anyone")
      ? "—"
      : rule.others === "refuse"
        ? `refused (\`${rule.refusal}\`), naming who may`
        : OTHERS_TEXT[rule.others];
    return [
      rule.label,
      `\`${action}\``,
      rule.may.map((r) => ROLE_TEXT[r]).join(", "),
      others,
      rule.managerOverride ? "yes, with a reason" : "—",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n");
}
