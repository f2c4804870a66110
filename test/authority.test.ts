import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUTHORITY_ACTIONS, authorityTable, decide, type AuthorityAction, type Facts } from "../src/authority.ts";

/**
 * The authority table (PRODUCT.md "Authority") as people would state it, written here by hand: every
 * action × every role. A change to src/authority.ts that breaks a rule turns a cell red.
 */

const ROLES = ["owner", "technician", "requester", "manager", "managerNoReason", "author", "pending"] as const;
type TestRole = (typeof ROLES)[number];

/** One subject: owned by "owner", requested by "req", escalated by "author", handed over to "pending". */
function facts(role: TestRole, action: AuthorityAction): Facts {
  const actorId = {
    owner: "owner",
    technician: "tech",
    requester: "req",
    manager: "mgr",
    managerNoReason: "mgr",
    author: "author",
    pending: "pending",
  }[role];
  return {
    actorId,
    manager: role === "manager" || role === "managerNoReason",
    ...(action === "take_unowned" ? {} : { ownerId: "owner" }),
    requesterId: "req",
    authorId: "author",
    pendingOwnerId: "pending",
    reason: role !== "managerNoReason",
  };
}

/** What each role gets: "as <role>", "as manager over owner", "draft", "handover", or the refusal's code. */
const OWNER_OR_MANAGER_WITH_REASON = {
  owner: "as owner",
  technician: "owner_only",
  requester: "owner_only",
  manager: "as manager over owner",
  managerNoReason: "manager_reason_required",
  author: "owner_only",
  pending: "owner_only",
};
const everyone = (result: string) => Object.fromEntries(ROLES.map((r) => [r, result])) as Record<TestRole, string>;
const onlyOwner = (others: string) => ({ ...everyone(others), owner: "as owner" });
const ownerOrManager = (others: string) => ({
  ...onlyOwner(others),
  manager: "as manager over owner",
  managerNoReason: "as manager over owner",
});

const EXPECTED: Record<AuthorityAction, Record<TestRole, string>> = {
  open: everyone("as anyone"),
  follow_up: everyone("as anyone"),
  take_unowned: { ...everyone("as technician"), requester: "not_technician" },
  take_owned: { ...onlyOwner("handover"), manager: "as manager over owner" },
  update: onlyOwner("draft"),
  priority: OWNER_OR_MANAGER_WITH_REASON,
  wait: OWNER_OR_MANAGER_WITH_REASON,
  resolve: OWNER_OR_MANAGER_WITH_REASON,
  close: OWNER_OR_MANAGER_WITH_REASON,
  reopen: OWNER_OR_MANAGER_WITH_REASON,
  link: ownerOrManager("link_not_owner"),
  declare_from_ticket: ownerOrManager("link_not_owner"),
  confirm: { ...ownerOrManager("confirm_not_allowed"), requester: "as requester" },
  propose_owner: ownerOrManager("not_owner"),
  accept_handover: { ...everyone("no_handover"), pending: "as pending_owner" },
  draft: onlyOwner("not_owner"),
  outage_update: onlyOwner("draft"),
  outage_resolve: {
    ...onlyOwner("not_owner"),
    manager: "as manager over owner",
    managerNoReason: "manager_reason_required",
  },
  outage_report: ownerOrManager("not_owner"),
  outage_follow_up: ownerOrManager("not_owner"),
  escalate: onlyOwner("owner_only"),
  acknowledge: { ...everyone("as receiver"), author: "own_escalation" },
  ask_info: { ...everyone("as receiver"), author: "own_escalation" },
  answer_info: onlyOwner("not_ticket_owner"),
  decide: { ...everyone("not_manager"), manager: "as manager over owner", managerNoReason: "as manager over owner" },
  announce: onlyOwner("not_owner"),
};

function outcome(action: AuthorityAction, role: TestRole): string {
  const d = decide(action, facts(role, action));
  if (d.result === "allowed") return `as ${d.as}${d.over ? ` over ${d.over}` : ""}`;
  if (d.result === "refused") return d.code;
  return d.result;
}

describe("the authority table (src/authority.ts)", () => {
  it("GIVEN the table THEN it has exactly the actions of PRODUCT.md Authority", () => {
    expect([...AUTHORITY_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const action of Object.keys(EXPECTED) as AuthorityAction[])
    it(`GIVEN "${action}" THEN every role gets what PRODUCT.md says`, () => {
      expect(Object.fromEntries(ROLES.map((role) => [role, outcome(action, role)]))).toEqual(EXPECTED[action]);
    });

  it("GIVEN a refusal THEN it names who may, from the table", () => {
    const d = decide("resolve", facts("technician", "resolve"));
    expect(d).toEqual({ result: "refused", code: "owner_only", who: "authority.who.owner_or_manager" });
  });

  it("GIVEN README.md THEN its Authority section prints the table exactly as the data says", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`\n${authorityTable()}\n`);
  });
});
