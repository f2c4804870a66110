import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const dist = new URL("../../dist/app/", import.meta.url).pathname;

/**
 * V8 keeps each loaded script's source in memory, one byte per character only when every character
 * is Latin-1: a single en dash in a regex made it keep main.js (1.6 MB) at two bytes per character
 * (issue 16, memory). esbuild escapes non-ASCII in strings, not in regexes or template literals;
 * the sources write such characters as escapes. (The bundle is built by the tests' global setup.)
 */
describe("the bundle npm start loads", () => {
  it("GIVEN every file of dist/app THEN each is Latin-1, kept one byte per character", () => {
    const files = readdirSync(dist).filter((f) => f.endsWith(".js"));
    expect(files).toContain("main.js");
    const wide = files.flatMap((f) => {
      const text = readFileSync(join(dist, f), "utf8");
      const at = [...text].findIndex((c) => c.codePointAt(0)! > 0xff);
      return at < 0 ? [] : [`${f}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`];
    });
    expect(wide).toEqual([]);
  });
});
