import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { texts } from "../../src/i18n/index.ts";
import { formParams } from "../../src/kit/command.ts";
import { readFields } from "../../src/kit/forms.ts";
import { manualClock, ZONE } from "../support/fixtures.ts";

/** A Param's `check` runs where every surface reads a form's fields: its refusal is a field error. */
describe("a field's check", () => {
  const note = commands.find((c) => c.name === "escalate")!.subcommands.find((s) => s.name === "note")!;
  const asked = formParams(note).filter((p) => ["request", "why"].includes(p.id));

  it("GIVEN a vague request beside a valid field THEN only the request gets an error, in the reader's language", () => {
    for (const [lang, expected] of [
      ["fr", "« urgent » n’est pas une demande précise"],
      ["en", "“urgent” is not a precise request"],
    ] as const) {
      const read = readFields(
        texts(lang, ZONE),
        manualClock(),
        note,
        { ref: 1 },
        { request: "urgent", why: "N3" },
        asked,
      );
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(Object.keys(read.errors)).toEqual(["request"]);
      expect(read.errors.request).toContain(expected);
      expect(read.first.code).toBe("vague_request");
    }
  });

  it("GIVEN a precise request THEN the field is read", () => {
    const read = readFields(
      texts("fr", ZONE),
      manualClock(),
      note,
      { ref: 1 },
      { request: "Valider l’exception pour ce client", why: "" },
      asked,
    );
    expect(read).toMatchObject({ ok: true, given: { request: "Valider l’exception pour ce client", why: "" } });
  });
});
