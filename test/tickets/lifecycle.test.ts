import { describe, expect, it } from "vitest";
import { RelaisError } from "../../src/errors.ts";
import { ACTIONS, transition, type Action } from "../../src/tickets/lifecycle.ts";
import { STATUSES, type Status } from "../../src/tickets/model.ts";

// The legal transitions written out by hand from the lifecycle
// (new → acknowledged → in progress → waiting → resolved → closed, and reopen); null = status unchanged.
const OPEN: Status[] = ["new", "acknowledged", "in_progress", "waiting"];
const LEGAL: ReadonlyArray<[Action, Status, Status | null]> = [
  ...OPEN.map((s): [Action, Status, Status | null] => ["take", s, null]),
  ...OPEN.map((s): [Action, Status, Status | null] => ["update", s, "in_progress"]),
  ...OPEN.map((s): [Action, Status, Status | null] => ["priority", s, null]),
  ...OPEN.map((s): [Action, Status, Status | null] => ["wait", s, "waiting"]),
  ...OPEN.map((s): [Action, Status, Status | null] => ["resolve", s, "resolved"]),
  ...OPEN.map((s): [Action, Status, Status | null] => ["escalate", s, null]),
  ["confirm", "resolved", "closed"],
  ["close", "resolved", "closed"],
  ["reopen", "resolved", "in_progress"],
  ["reopen", "closed", "in_progress"],
];
const ALL_ACTIONS: Action[] = [
  "take",
  "update",
  "priority",
  "wait",
  "resolve",
  "confirm",
  "close",
  "reopen",
  "escalate",
];
const legalKeys = new Set(LEGAL.map(([a, s]) => `${a}/${s}`));
const ILLEGAL: ReadonlyArray<[Action, Status]> = ALL_ACTIONS.flatMap((a) =>
  STATUSES.filter((s) => !legalKeys.has(`${a}/${s}`)).map((s): [Action, Status] => [a, s]),
);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("lifecycle — the action set", () => {
  it("GIVEN the lifecycle THEN it knows exactly the nine documented actions", () => {
    expect(Object.keys(ACTIONS).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it("GIVEN 9 actions × 6 statuses THEN 28 are legal and 26 illegal", () => {
    expect(LEGAL).toHaveLength(28);
    expect(ILLEGAL).toHaveLength(26);
  });
});

describe("lifecycle — legal transitions", () => {
  it.each(LEGAL)("GIVEN %s on a %s ticket THEN it leads to %s", (action, status, to) => {
    expect(transition(action, status, "T-42")).toBe(to);
  });
});

describe("lifecycle — illegal transitions", () => {
  it.each(ILLEGAL)("GIVEN %s on a %s ticket THEN illegal_transition is thrown", (action, status) => {
    const e = thrown(() => transition(action, status, "T-42"));
    expect(e).toBeInstanceOf(RelaisError);
    expect((e as RelaisError).code).toBe("illegal_transition");
  });

  it.each([
    ["confirm", "new"],
    ["close", "in_progress"],
    ["update", "closed"],
    ["reopen", "in_progress"],
    ["resolve", "closed"],
    ["wait", "resolved"],
  ] as [Action, Status][])(
    "GIVEN %s on a %s ticket THEN the error carries the ticket, action and status",
    (action, status) => {
      const e = thrown(() => transition(action, status, "T-7"));
      expect(e).toBeInstanceOf(RelaisError);
      expect(e).toMatchObject({ code: "illegal_transition", params: { ref: "T-7", action, status } });
    },
  );
});
