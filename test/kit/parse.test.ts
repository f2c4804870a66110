import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { RelaisError } from "../../src/errors.ts";
import { t, texts } from "../../src/i18n/index.ts";
import type { Command, Param, Subcommand } from "../../src/kit/command.ts";
import { parseValue, resolveLine, resolveText } from "../../src/kit/parse.ts";

/** Two small commands made for these tests (commands/ has the real ones). */
const notRun = async (): Promise<never> => {
  throw new Error("not run in these tests");
};

const ref: Param = { id: "ref", label: "field.ref", type: { kind: "ref" }, required: true };
const title: Param = { id: "title", label: "field.title", type: { kind: "text" }, required: true, rest: true };
const impact: Param = {
  id: "impact",
  label: "field.impact",
  type: { kind: "choice", set: "impact", values: ["high", "medium", "low"], aliases: { p1: "high" } },
  required: true,
};
const urgency: Param = {
  id: "urgency",
  label: "field.urgency",
  type: { kind: "choice", set: "urgency", values: ["high", "medium", "low"] },
  required: true,
};
const reason: Param = {
  id: "reason",
  label: "field.title",
  type: { kind: "text" },
  required: false,
  rest: true,
  requiredIf: (v) => v.impact === "low",
};
const at: Param = { id: "at", label: "field.title", type: { kind: "time" }, required: true, rest: true };

function sub(name: string, aliases: string[], args: Param[], fields: Param[] = []): Subcommand {
  return { name, aliases, summary: "field.title", args, fields, run: notRun };
}

const ticket: Command = {
  name: "ticket",
  aliases: ["billet"],
  summary: "field.title",
  subcommands: [
    sub("new", ["nouveau", "créer"], [title]),
    sub("show", ["voir"], [ref]),
    sub("priority", ["priorité"], [ref, impact, reason], [urgency]),
    sub("remind", ["rappel"], [ref, at]),
  ],
  whenEmpty: "new",
  whenText: "new",
};

const escalate: Command = {
  name: "escalate",
  aliases: ["escalader"],
  summary: "field.title",
  subcommands: [sub("open", ["ouvrir"], [ref, { ...title, id: "note", required: false }])],
  whenText: "open",
};

const commands = [ticket, escalate];
const now = DateTime.fromISO("2026-03-10T09:00:00Z");
const fr = { texts: texts("fr", "Europe/Paris"), clock: new ManualClock(now) };
const en = { texts: texts("en", "Europe/Paris"), clock: new ManualClock(now) };

/** The RelaisError `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): RelaisError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RelaisError);
    return e as RelaisError;
  }
  throw new Error("expected a RelaisError, nothing was thrown");
}

function run(line: string, ctx = fr) {
  const inv = resolveLine(commands, line, ctx);
  if (inv.kind !== "run") throw new Error(`expected a run, got ${inv.kind}`);
  return { sub: inv.sub.name, values: inv.values, missing: inv.missing.map((p) => p.id) };
}

describe("resolveLine: commands and subcommands", () => {
  it("finds a subcommand by its English name or its French alias, in any case, with or without the slash", () => {
    expect(run("/ticket show T-3")).toEqual({ sub: "show", values: { ref: 3 }, missing: [] });
    expect(run("/ticket voir T-3")).toEqual({ sub: "show", values: { ref: 3 }, missing: [] });
    expect(run("ticket SHOW t3")).toEqual({ sub: "show", values: { ref: 3 }, missing: [] });
    expect(run("/billet voir #3").sub).toBe("show");
    expect(run("/escalader T-4").values).toEqual({ ref: 4 });
  });

  it("folds accents, so `creer` and `priorite` match `créer` and `priorité`", () => {
    expect(run("/ticket creer Imprimante HS")).toEqual({ sub: "new", values: { title: "Imprimante HS" }, missing: [] });
    expect(run("/ticket priorite T-3 high").sub).toBe("priority");
    expect(run("/ticket PRIORITÉ T-3 high").sub).toBe("priority");
  });

  it("answers help for the help words, for the command or for one subcommand", () => {
    for (const word of ["help", "aide", "AIDE", "?"]) {
      const inv = resolveLine(commands, `/ticket ${word}`, fr);
      expect(inv).toMatchObject({ kind: "help", command: { name: "ticket" } });
      expect(inv.kind === "help" && inv.sub).toBeUndefined();
    }
    const one = resolveLine(commands, "/ticket voir aide", fr);
    expect(one).toMatchObject({ kind: "help", sub: { name: "show" } });
  });

  it("runs whenEmpty for the command alone (its required values missing), and help without one", () => {
    expect(run("/ticket")).toEqual({ sub: "new", values: {}, missing: ["title"] });
    expect(resolveLine(commands, "/escalate", fr)).toMatchObject({ kind: "help", command: { name: "escalate" } });
  });

  it("refuses an unknown command and lists the known ones", () => {
    const e = errorOf(() => resolveLine(commands, "/tikcet voir 3", fr));
    expect(e.code).toBe("unknown_command");
    expect(e.params).toEqual({ command: "/tikcet", commands: "/ticket, /escalate" });
  });

  it("refuses one unknown word as a subcommand, suggesting the nearest name when close", () => {
    const close = errorOf(() => resolveLine(commands, "/ticket shw", fr));
    expect(close.code).toBe("unknown_subcommand");
    expect(close.params).toMatchObject({ command: "ticket", sub: "shw" });
    expect(close.params.suggestion).toBe(t("fr", "error.suggestion", { name: "show" }));
    expect(errorOf(() => resolveLine(commands, "/ticket voire", en)).params.suggestion).toBe(
      t("en", "error.suggestion", { name: "voir" }),
    );
    // two letters off (swapped) still suggests
    expect(errorOf(() => resolveLine(commands, "/ticket sohw", fr)).params.suggestion).toBe(
      t("fr", "error.suggestion", { name: "show" }),
    );
    const far = errorOf(() => resolveLine(commands, "/ticket zzzzzzzz", fr));
    expect(far.code).toBe("unknown_subcommand");
    expect(far.params.suggestion).toBe("");
  });

  it("passes free text of two words or more to whenText, whitespace folded", () => {
    expect(run("/ticket imprimante   en panne")).toEqual({
      sub: "new",
      values: { title: "imprimante en panne" },
      missing: [],
    });
  });

  it("takes one reference alone as the whenText subcommand's first argument, but not any word", () => {
    expect(run("/escalate T-3")).toEqual({ sub: "open", values: { ref: 3 }, missing: [] });
    expect(run("/escalate 12").values).toEqual({ ref: 12 });
    expect(errorOf(() => resolveLine(commands, "/escalate pizza", fr)).code).toBe("unknown_subcommand");
  });

  it("refuses extra words after the last argument and says how the subcommand is used, in the user's language", () => {
    const e = errorOf(() => resolveLine(commands, "/ticket voir T-3 encore là", fr));
    expect(e.code).toBe("extra_argument");
    expect(e.params).toEqual({ extra: "encore là", usage: "/ticket voir T-<n>" });
    expect(errorOf(() => resolveLine(commands, "/ticket show T-3 again", en)).params.usage).toBe("/ticket show T-<n>");
  });

  it("resolveText works on the text after the command name", () => {
    const inv = resolveText(ticket, "voir #7", fr);
    expect(inv).toMatchObject({ kind: "run", sub: { name: "show" }, values: { ref: 7 } });
  });
});

describe("references", () => {
  it.each(["T-3", "t-3", "T3", "t3", "#3", "3", "003"])("reads %s as ticket 3", (raw) => {
    expect(parseValue(ref, raw, fr)).toBe(3);
  });

  it.each(["X-3", "T-", "T--3", "abc", "T-3a", "3.5", "T-1234567890", "INC-3"])("refuses %s", (raw) => {
    const e = errorOf(() => parseValue(ref, raw, fr));
    expect(e.code).toBe("invalid_reference");
    expect(e.params).toEqual({ value: raw, expected: "T-<n>", example: "T-42" });
  });

  it("uses the parameter's prefix", () => {
    const outage: Param = { ...ref, type: { kind: "ref", prefix: "INC" } };
    expect(parseValue(outage, "INC-7", fr)).toBe(7);
    expect(parseValue(outage, "inc7", fr)).toBe(7);
    expect(errorOf(() => parseValue(outage, "T-7", fr)).params.expected).toBe("INC-<n>");
  });

  it("a bad reference typed in a line is refused too", () => {
    expect(errorOf(() => resolveLine(commands, "/ticket voir T-x", fr)).code).toBe("invalid_reference");
  });
});

describe("choices", () => {
  it("accepts the number shown in the list, the value, the label in either language, and an alias", () => {
    expect(run("/ticket priority T-3 1").values.impact).toBe("high");
    expect(run("/ticket priority T-3 3 because").values.impact).toBe("low");
    expect(parseValue(impact, "medium", fr)).toBe("medium");
    expect(parseValue(impact, "élevé", fr)).toBe("high");
    expect(parseValue(impact, "ELEVE", fr)).toBe("high");
    expect(parseValue(impact, "moyen", en)).toBe("medium");
    expect(parseValue(impact, "low (minor incident, one person, question)", fr)).toBe("low");
    expect(parseValue(impact, "P1", fr)).toBe("high");
  });

  it.each(["0", "4", "urgent", "hi"])("refuses %s and lists the choices", (raw) => {
    const e = errorOf(() => parseValue(impact, raw, fr));
    expect(e.code).toBe("invalid_choice");
    expect(e.params.field).toBe("field.impact");
    expect(e.params.choices).toMatch(/^1\. élevé .*, 2\. moyen .*, 3\. faible /);
  });
});

describe("required values", () => {
  it("lists the required args and form fields not given, in order", () => {
    expect(run("/ticket priority T-3").missing).toEqual(["impact", "urgency"]);
    expect(run("/ticket priority T-3 high").missing).toEqual(["urgency"]);
    expect(run("/ticket voir").missing).toEqual(["ref"]);
  });

  it("asks for a conditional value only when the others call for it", () => {
    expect(run("/ticket priority T-3 low").missing).toEqual(["reason", "urgency"]);
    expect(run("/ticket priority T-3 low the printer is only slow").missing).toEqual(["urgency"]);
  });

  it("refuses an empty required value and returns undefined for an empty optional one", () => {
    expect(errorOf(() => parseValue(ref, "   ", fr))).toMatchObject({
      code: "field_required",
      params: { field: "field.ref" },
    });
    expect(errorOf(() => parseValue(title, "\u200B\u200B", fr)).code).toBe("field_required");
    expect(parseValue({ ...title, required: false }, " ", fr)).toBeUndefined();
  });
});

describe("times", () => {
  it("reads a time argument in the policy's zone, from the clock", () => {
    const v = run("/ticket remind T-3 +2h").values.at as DateTime;
    expect(v.toMillis()).toBe(now.plus({ hours: 2 }).toMillis());
    const tomorrow = run("/ticket rappel T-3 demain 9:00").values.at as DateTime;
    expect(tomorrow.setZone("Europe/Paris").toFormat("yyyy-MM-dd HH:mm")).toBe("2026-03-11 09:00");
  });

  it("refuses a time it does not understand", () => {
    const e = errorOf(() => resolveLine(commands, "/ticket remind T-3 25:00", fr));
    expect(e).toMatchObject({ code: "invalid_time", params: { value: "25:00" } });
  });
});
