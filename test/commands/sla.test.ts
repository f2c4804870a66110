import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { paris, rawPolicy, variant } from "../support/fixtures.ts";

const start = relaisPerTest();

/** The hand-typed list the policy shipped until November 2026: 8 May typed before 6 May (Ascension). */
const HAND_LIST = [
  "2026-11-11",
  "2026-12-25",
  "2027-01-01",
  "2027-03-29",
  "2027-05-01",
  "2027-05-08",
  "2027-05-06",
  "2027-05-17",
  "2027-07-14",
];

describe("/sla — upcoming holidays", () => {
  it("GIVEN a hand-typed list out of order THEN /sla lists them in date order and skips none (6 May was dropped)", async () => {
    const r = await start({ now: paris("2026-11-28T10:00"), policy: variant({ holidays: HAND_LIST }) });
    const text = await r.text("/sla");
    const shown = ["25 déc. 2026", "1 janv. 2027", "29 mars 2027", "1 mai 2027", "6 mai 2027", "8 mai 2027"];
    const at = shown.map((d) => text.indexOf(d));
    expect(
      at.every((i) => i >= 0),
      text,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).not.toContain("11 nov. 2026");
    void rawPolicy;
  });
});
