import { describe, expect, it } from "vitest";
import { sentence } from "../src/text.ts";

describe("sentence", () => {
  it("GIVEN typed text without a final stop THEN it ends with one, so the next sentence reads apart", () => {
    expect(sentence(" Le lien de secours tient la charge ")).toBe("Le lien de secours tient la charge.");
  });

  it("GIVEN text that already ends a sentence THEN it is kept as typed (no double stop)", () => {
    for (const t of ["Fait.", "Vraiment ?", "Enfin !", "On verra…"]) expect(sentence(t)).toBe(t);
  });

  it("GIVEN nothing typed THEN nothing is added", () => {
    expect(sentence("  ")).toBe("");
  });
});
