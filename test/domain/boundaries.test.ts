import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The domain folders stay platform-neutral and storage-neutral: they never import the command kit,
 * the surfaces, the commands, the store (the store imports their repository interfaces) or a
 * platform or database SDK.
 */
const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const DOMAIN = ["tickets", "sla", "outages", "escalations", "scheduler", "outbox", "timeline"];
const FORBIDDEN_FOLDERS = ["src/kit/", "src/surfaces/", "src/store/", "src/generated/", "commands/"];
const FORBIDDEN_PACKAGES = [/^@slack\//, /^discord\.js/, /^@prisma\//, /^better-sqlite3/, /^pg$/];

function imports(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

function domainFiles(): string[] {
  return DOMAIN.flatMap((folder) =>
    readdirSync(join(ROOT, "src", folder), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(ROOT, "src", folder, f)),
  );
}

/** The forbidden imports of one file, as "file → import". */
function violations(file: string, text = readFileSync(file, "utf8")): string[] {
  return imports(text)
    .filter((spec) => {
      if (spec.startsWith(".")) {
        const target = relative(ROOT, resolve(dirname(file), spec));
        return FORBIDDEN_FOLDERS.some((f) => target.startsWith(f));
      }
      return FORBIDDEN_PACKAGES.some((p) => p.test(spec));
    })
    .map((spec) => `${relative(ROOT, file)} → ${spec}`);
}

describe("domain boundaries", () => {
  it("GIVEN the domain folders THEN none imports src/kit, src/surfaces, src/store, commands/ or a platform SDK", () => {
    const files = domainFiles();
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => violations(f))).toEqual([]);
  });

  it("GIVEN a domain file importing the store, the kit or an SDK THEN each import is reported", () => {
    const file = join(ROOT, "src/tickets/example.ts");
    const text = [
      'import type { Store } from "../store/database.ts";',
      'import { handleLine } from "../kit/dispatch.ts";',
      'import { App } from "@slack/bolt";',
      'import { DateTime } from "luxon";',
      'import type { Ticket } from "./model.ts";',
    ].join("\n");
    expect(violations(file, text)).toEqual([
      "src/tickets/example.ts → ../store/database.ts",
      "src/tickets/example.ts → ../kit/dispatch.ts",
      "src/tickets/example.ts → @slack/bolt",
    ]);
  });
});
