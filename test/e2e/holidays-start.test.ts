import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { cleanEnv } from "../support/clean-env.ts";
import { runRelais } from "../support/relais-process.ts";

/**
 * The holidays at start, through the compiled Relais (`node dist/app/main.js`, what npm start
 * runs), in shell mode with stdin closed after the lines given: a hand list that has run out is
 * said and the start goes on; a country date-holidays does not know stops it in one line.
 */
const root = new URL("../../", import.meta.url).pathname;
const cleanups = cleanupsAfterEach();

/** The shipped policy with its `holidays:` entry replaced by `holidays` (YAML), in a file of its own. */
function policyWith(holidays: string): { dir: string; policy: string } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const shipped = readFileSync(join(root, "config/policy.yaml"), "utf8");
  const text = shipped.replace(/^holidays:\n(?: {2}.*\n)+/m, `holidays: ${holidays}\n`);
  expect(text).not.toBe(shipped);
  const policy = join(dir, "policy.yaml");
  writeFileSync(policy, text);
  return { dir, policy };
}

function start(policy: string, dir: string, input: string) {
  return runRelais({
    cwd: dir,
    env: cleanEnv({ RELAIS_POLICY: policy, DATABASE_URL: `file:${join(dir, "relais.db")}`, LOG_LEVEL: "warn" }),
    input,
    group: true,
    cleanups,
  });
}

describe("holidays at start (compiled Relais, shell mode)", () => {
  it("GIVEN a hand list with only past holidays THEN one line on stderr and a log warning name the file and the last date, and Relais runs", async () => {
    const { dir, policy } = policyWith("[2025-12-25, 2026-01-01, 2025-11-11]");
    const { code, stdout, stderr } = await start(policy, dir, "/sla\n/ticket Imprimante bloquée\n");
    const warning = `Relais: warning: the last holiday in ${policy} is 2026-01-01 (in the past): business deadlines after it count public holidays as open; list the next dates, or let Relais generate them: holidays: { country: FR }`;
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(warning);
    const logged = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, msg: warning, policy }));
    expect(lines.filter((l) => !l.startsWith("{"))).toEqual([
      warning,
      `Relais: no database at ${join(dir, "relais.db")} — created a new empty one`,
    ]);
    // The start went on: /sla answers (and says no holiday is known ahead), a ticket is opened.
    expect(stdout).toContain("Aucun jour férié connu dans les 12 prochains mois");
    expect(stdout).toContain("T-1");
    expect(code).toBe(0);
  });

  it("GIVEN holidays: { country: FR } THEN no warning, and /sla lists the next holidays by name", async () => {
    const { dir, policy } = policyWith("{ country: FR }");
    const { code, stdout, stderr } = await start(policy, dir, "/sla\n");
    expect(stderr).toBe(`Relais: no database at ${join(dir, "relais.db")} — created a new empty one\n`);
    expect(stdout).toContain("Prochains jours fériés (FR) :");
    expect(stdout).toMatch(/• \S+ \d+ \S+ \d{4} · (Noël|Nouvel An|Lundi de Pâques|Fête du travail)/);
    expect(code).toBe(0);
  });

  it("GIVEN a country date-holidays does not know THEN exit 1 with one line naming holidays.country, nothing created", async () => {
    const { dir, policy } = policyWith("{ country: XX }");
    const { code, stdout, stderr } = await start(policy, dir, "/sla\n");
    expect(stderr).toBe(
      `Invalid policy in ${policy}: holidays.country: "XX" is not a country date-holidays knows; use its two-letter ISO code, such as FR, BE or CH\n`,
    );
    expect(stdout).toBe("");
    expect(code).toBe(1);
    expect(existsSync(join(dir, "relais.db"))).toBe(false);
  });
});
