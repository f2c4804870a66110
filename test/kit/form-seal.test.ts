import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { texts } from "../../src/i18n/index.ts";
import { FormSeal } from "../../src/kit/form-seal.ts";
import { checkGiven, type FormState } from "../../src/kit/forms.ts";
import { manualClock, ZONE } from "../support/fixtures.ts";

const state: FormState = { command: "ticket", sub: "new", channel: "C1", given: { title: "VPN coupé" } };

describe("FormSeal: what a form carries is signed for one person", () => {
  const seal = FormSeal.fromSecrets(undefined, "signing-secret");

  it("GIVEN a sealed state THEN it opens for the person it was sealed for, and for nobody else", () => {
    const sealed = seal.seal(state, "U1");
    expect(seal.open(sealed, "U1")).toEqual(state);
    expect(seal.open(sealed, "U2")).toBeUndefined();
  });

  it("GIVEN a changed state, a changed or missing signature, or another key THEN it does not open", () => {
    const sealed = seal.seal(state, "U1");
    const [signature, json] = [sealed.slice(0, 64), sealed.slice(65)];
    for (const bad of [
      `${signature}.${json.replace("VPN", "DNS")}`,
      `${"f".repeat(64)}.${json}`,
      `${signature.slice(0, 10)}.${json}`,
      json,
      "",
      undefined,
      FormSeal.fromSecrets(undefined, "other-secret").seal(state, "U1"),
    ])
      expect(seal.open(bad, "U1")).toBeUndefined();
  });

  it("GIVEN a configured key THEN it signs instead of the signing secret", () => {
    const configured = FormSeal.fromSecrets("k".repeat(32), "signing-secret");
    expect(configured.open(configured.seal(state, "U1"), "U1")).toEqual(state);
    expect(seal.open(configured.seal(state, "U1"), "U1")).toBeUndefined();
  });
});

describe("checkGiven: carried values are read again as if typed", () => {
  const sub = (name: string, command = "ticket") =>
    commands.find((c) => c.name === command)!.subcommands.find((s) => s.name === name)!;
  const ctx = { texts: texts("fr", ZONE), clock: manualClock(), platform: "slack" };
  const refused = (name: string, given: unknown) => {
    try {
      checkGiven(sub(name), given, ctx);
    } catch (e) {
      return (e as { code: string }).code;
    }
    return "accepted";
  };

  it.each([
    ["new", { impact: "critical" }, "invalid_choice"],
    ["new", { impact: "1" }, "invalid_choice"],
    ["new", { impact: 1 }, "form_unverified"],
    ["new", { owner: "x" }, "form_unverified"],
    ["new", { title: "x".repeat(151) }, "title_too_long"],
    ["new", { department: "x".repeat(201) }, "text_too_long"],
    ["new", { requester: '{"id":"slack:U1;DROP","name":"Ana"}' }, "invalid_person"],
    ["new", { requester: '{"id":"discord:12345678","name":"Ana"}' }, "invalid_person"],
    ["new", { requester: "not json" }, "invalid_person"],
    ["priority", { ref: "T-1; DROP", priority: "P1" }, "invalid_reference"],
    ["priority", { ref: 1, priority: "P0" }, "invalid_choice"],
    ["priority", { ref: 1, reason: "le demandeur insiste" }, "priority_reason_not_objective"],
    ["update", { ref: 1, nextUpdate: "bientôt" }, "invalid_time"],
    ["update", { ref: "" }, "field_required"],
    ["new", ["title"], "form_unverified"],
  ])("GIVEN /ticket %s carrying %j THEN %s", (name, given, code) => {
    expect(refused(name, given)).toBe(code);
  });

  it("GIVEN values a form really carries THEN they are kept as the parser reads them", () => {
    const given = {
      title: "  VPN   coupé ",
      impact: "high",
      requester: '{"id":"slack:U123","name":"Ana"}',
      department: "",
    };
    expect(checkGiven(sub("new"), given, ctx)).toEqual({
      title: "VPN coupé",
      impact: "high",
      requester: '{"id":"slack:U123","name":"Ana"}',
      department: "",
    });
    expect(checkGiven(sub("new"), { requester: '{"name":"M. Leroy"}' }, ctx)).toEqual({
      requester: '{"name":"M. Leroy"}',
    });
  });
});
