import { describe, expect, it } from "vitest";
import {
  IMPACTS,
  PRIORITIES,
  URGENCIES,
  WORKAROUNDS,
  comparePriority,
  criterionOf,
  priorityOf,
  type Criterion,
  type Impact,
  type Priority,
  type Urgency,
  type Workaround,
} from "../../src/tickets/priority.ts";

// The matrix written out by hand from the seed rules (not derived from the implementation):
// P1 = high impact, no workaround, urgency not low;
// P3 = low impact unless urgency is high, or a full workaround unless impact is high;
// P2 = everything else.
const MATRIX: ReadonlyArray<[Impact, Urgency, Workaround, Priority]> = [
  ["high", "high", "none", "P1"],
  ["high", "high", "partial", "P2"],
  ["high", "high", "full", "P2"],
  ["high", "medium", "none", "P1"],
  ["high", "medium", "partial", "P2"],
  ["high", "medium", "full", "P2"],
  ["high", "low", "none", "P2"],
  ["high", "low", "partial", "P2"],
  ["high", "low", "full", "P2"],
  ["medium", "high", "none", "P2"],
  ["medium", "high", "partial", "P2"],
  ["medium", "high", "full", "P3"],
  ["medium", "medium", "none", "P2"],
  ["medium", "medium", "partial", "P2"],
  ["medium", "medium", "full", "P3"],
  ["medium", "low", "none", "P2"],
  ["medium", "low", "partial", "P2"],
  ["medium", "low", "full", "P3"],
  ["low", "high", "none", "P2"],
  ["low", "high", "partial", "P2"],
  ["low", "high", "full", "P3"],
  ["low", "medium", "none", "P3"],
  ["low", "medium", "partial", "P3"],
  ["low", "medium", "full", "P3"],
  ["low", "low", "none", "P3"],
  ["low", "low", "partial", "P3"],
  ["low", "low", "full", "P3"],
];

describe("priorityOf — impact × urgency × workaround", () => {
  it("GIVEN the hand-written table THEN it covers all 27 combinations exactly once", () => {
    const keys = new Set(MATRIX.map(([i, u, w]) => `${i}/${u}/${w}`));
    expect(keys.size).toBe(27);
    for (const i of IMPACTS)
      for (const u of URGENCIES) for (const w of WORKAROUNDS) expect(keys.has(`${i}/${u}/${w}`)).toBe(true);
  });

  it.each(MATRIX)("GIVEN impact %s, urgency %s, workaround %s THEN %s", (impact, urgency, workaround, expected) => {
    expect(priorityOf({ impact, urgency, workaround })).toBe(expected);
  });

  it("GIVEN the matrix THEN exactly two combinations are P1 and each priority is reachable", () => {
    const counts = { P1: 0, P2: 0, P3: 0 };
    for (const [impact, urgency, workaround] of MATRIX) counts[priorityOf({ impact, urgency, workaround })]++;
    expect(counts).toEqual({ P1: 2, P2: 15, P3: 10 });
  });
});

describe("comparePriority", () => {
  it("GIVEN P1, P2, P3 THEN P1 sorts first (most urgent) and equal priorities compare as 0", () => {
    expect(comparePriority("P1", "P2")).toBeLessThan(0);
    expect(comparePriority("P3", "P2")).toBeGreaterThan(0);
    expect(comparePriority("P2", "P2")).toBe(0);
    expect(["P3", "P1", "P2"].sort((a, b) => comparePriority(a as Priority, b as Priority))).toEqual([...PRIORITIES]);
  });
});

describe("criterionOf — a reason must rest on an objective criterion", () => {
  const objective: ReadonlyArray<[string, Criterion]> = [
    ["40 utilisateurs sont maintenant bloqués", "users"],
    ["the whole site is down", "users"],
    ["le serveur de fichiers est en panne", "outage"],
    ["the payroll server is unreachable", "outage"],
    ["échéance de clôture comptable vendredi", "deadline"],
    ["we need it before 5pm for the launch", "deadline"],
    ["plus de contournement possible", "workaround"],
    ["there is no workaround available", "workaround"],
    ["suspected ransomware", "security"],
    ["possible fuite de données clients", "security"],
    ["perte de chiffre d'affaires en boutique", "financial"],
    ["obligation RGPD de notifier sous 72 h", "legal"],
  ];

  it.each(objective)("GIVEN the reason %j THEN the criterion is %s", (reason, criterion) => {
    expect(criterionOf(reason)).toBe(criterion);
  });

  it("GIVEN 'tout le monde est bloqué' THEN users (impact is checked before outage)", () => {
    expect(criterionOf("tout le monde est bloqué")).toBe("users");
  });

  it("GIVEN 'le site est bloqué' (no count of people) THEN outage", () => {
    expect(criterionOf("le site est bloqué")).toBe("outage");
  });

  it("GIVEN upper-case wording THEN it still matches (case-insensitive)", () => {
    expect(criterionOf("SUSPECTED RANSOMWARE")).toBe("security");
    expect(criterionOf("PLUS DE CONTOURNEMENT")).toBe("workaround");
  });

  const pressure = [
    "le demandeur insiste",
    "the requester insists",
    "c'est urgent pour lui",
    "VIP très mécontent",
    "",
    "   ",
  ];

  it.each(pressure)("GIVEN the reason %j (pressure, not a criterion) THEN undefined", (reason) => {
    expect(criterionOf(reason)).toBeUndefined();
  });

  it("GIVEN words that merely contain a criterion word THEN no match (whole words only)", () => {
    // "download" contains "down", "arrêté" contains "arrêt", "paiement" is not "paie", "auditeur" not "audit".
    expect(criterionOf("le download est lent")).toBeUndefined();
    expect(criterionOf("il a arrêté de râler")).toBeUndefined();
    expect(criterionOf("question sur un paiement")).toBeUndefined();
    expect(criterionOf("l'auditeur veut un café")).toBeUndefined();
  });

  it("GIVEN a number not followed by people or sites THEN it is not an impact criterion", () => {
    expect(criterionOf("il a appelé 3 fois")).toBeUndefined();
  });
});
