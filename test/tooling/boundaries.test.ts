import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The boundary rules live in biome.json (noRestrictedImports per folder, noImportCycles) and
 * `npm run boundaries` shows their report. These tests run that exact command, once on the real
 * tree and once on a small synthetic tree that breaks each rule, with a copy of the real config.
 */
const root = resolve(import.meta.dirname, "../..");
const biome = join(root, "node_modules/.bin/biome");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
const script = pkg.scripts.boundaries!;
const [tool, ...args] = script.split(/\s+/);

function runBoundaries(cwd: string, configPath?: string) {
  const extra = configPath ? [`--config-path=${configPath}`] : [];
  const result = spawnSync(biome, [...args, ...extra], { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Diagnostics as "file rule" pairs, e.g. "src/tickets/straggler.ts lint/style/noRestrictedImports". */
function findings(output: string): string[] {
  return [...output.matchAll(/^(\S+\.ts):\d+:\d+ (lint\/\S+)/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

describe("the boundaries command", () => {
  it("is Biome, limited to the boundary rules over src and commands", () => {
    expect(tool).toBe("biome");
    expect(args).toContain("--only=style/noRestrictedImports");
    expect(args).toContain("--only=suspicious/noImportCycles");
    expect(args).toEqual(expect.arrayContaining(["src", "commands"]));
  });

  it("finds no violation and no cycle in today's tree", () => {
    const { status, output } = runBoundaries(root);
    expect(findings(output)).toEqual([]);
    expect(output).toMatch(/Checked [1-9]\d* files/);
    expect(status).toBe(0);
  });
});

describe("the boundary rules on a tree that breaks them", () => {
  let dir: string;

  const files: Record<string, string> = {
    "src/reply.ts": "export const reply = 1;\n",
    "src/kit/parse.ts": "export const parse = 1;\n",
    "src/surfaces/shell/shell.ts": "export const shell = 1;\n",
    "commands/index.ts": "export const commands = 1;\n",
    // allowed: the domain uses the neutral modules; main wires everything
    "src/tickets/fine.ts": 'import { reply } from "../reply.ts";\nexport const fine = reply;\n',
    "src/main.ts":
      'import { commands } from "../commands/index.ts";\nimport { shell } from "./surfaces/shell/shell.ts";\nexport const main = [commands, shell];\n',
    // violations
    "src/tickets/straggler.ts": 'import { parse } from "../kit/parse.ts";\nexport const straggler = parse;\n',
    "src/outbox/deep/nested.ts":
      'import type { parse } from "../../kit/parse.ts";\nexport type Nested = typeof parse;\n',
    "src/sla/platform.ts": 'import type { App } from "@slack/bolt";\nexport type Platform = App;\n',
    "src/escalations/discord.ts": 'import type { Client } from "discord.js";\nexport type D = Client;\n',
    "src/kit/render.ts": 'import { shell } from "../surfaces/shell/shell.ts";\nexport const render = shell;\n',
    "src/app.ts": 'export { commands } from "../commands/index.ts";\n',
    // a cycle made only of type imports
    "src/timeline/a.ts": 'import type { B } from "./b.ts";\nexport type A = { b?: B };\n',
    "src/timeline/b.ts": 'import type { A } from "./a.ts";\nexport type B = { a?: A };\n',
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "relais-boundaries-"));
    const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8")) as Record<string, unknown>;
    delete config.$schema;
    delete config.vcs; // the fixture is not a git repository
    writeFileSync(join(dir, "biome.json"), JSON.stringify(config));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports each violation, with the boundary message, and nothing else", () => {
    const { status, output } = runBoundaries(dir, join(dir, "biome.json"));
    expect(status).not.toBe(0);
    expect(findings(output)).toEqual(
      [
        "src/app.ts lint/style/noRestrictedImports",
        "src/escalations/discord.ts lint/style/noRestrictedImports",
        "src/kit/render.ts lint/style/noRestrictedImports",
        "src/outbox/deep/nested.ts lint/style/noRestrictedImports",
        "src/sla/platform.ts lint/style/noRestrictedImports",
        "src/tickets/straggler.ts lint/style/noRestrictedImports",
        "src/timeline/a.ts lint/suspicious/noImportCycles",
        "src/timeline/b.ts lint/suspicious/noImportCycles",
      ].sort(),
    );
    expect(output).toContain("the domain (src/tickets, sla, outages, escalations, scheduler, outbox, timeline)");
    expect(output).toContain("must not import the command kit (src/kit)");
    expect(output).toContain("src/kit must not import src/surfaces");
    expect(output).toContain("only src/main.ts imports the command definitions (commands/)");
    expect(output).toContain("must not import a chat platform SDK");
    expect(output).toContain("This import is part of a cycle");
  });
});
