import { cleanEnv } from "../support/clean-env.ts";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { formLines } from "../support/form.ts";

const root = new URL("../../", import.meta.url).pathname;
const cleanups = cleanupsAfterEach();

/** `npm start` exactly as a newcomer runs it, with commands piped on stdin and no platform token. */
function npmStart(input: string, env: Record<string, string> = {}) {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const run = spawnSync("npm", ["start", "--silent"], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 50_000,
    env: cleanEnv({ DATABASE_URL: `file:${join(dir, "relais.db")}`, ...env }),
  });
  return { ...run, dir };
}

describe("npm start (shell chat)", () => {
  it("GIVEN piped commands THEN it prints each reply, keeps state between lines, and exits at end of input", () => {
    const run = npmStart(
      "/ticket Messagerie inaccessible\n/ticket list\n/ticket prendre T-1\n/ticket voir T-1\n/ticket show T-7\n",
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("✅ T-1 ouvert : « Messagerie inaccessible »");
    expect(run.stdout).toMatch(/T-1 · P3 · nouveau · Messagerie inaccessible/);
    expect(run.stdout).toContain("en est maintenant responsable");
    expect(run.stdout).toContain("Prochain point");
    expect(run.stdout).toContain("Le ticket T-7 n’existe pas");
  });

  it("GIVEN the form (/ticket alone) THEN each field is a prompt answered by the next lines", () => {
    const answers = formLines("/ticket", {
      title: "Serveur de fichiers indisponible",
      requester: "M. Leroy",
      department: "Logistique",
      workstation: "PC-12",
      impact: "élevé",
      urgency: "haute",
      workaround: "aucun contournement",
      since: "9h",
      changed: "rien",
      reproducible: "oui",
      scope: "généralisé",
      profile: "intermédiaire",
    });
    const run = npmStart(`${["/ticket", ...answers, "/ticket list"].join("\n")}\n`, { RELAIS_LANG: "fr" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("? Résumé du problème");
    expect(run.stdout).toContain("? Impact — choisissez : 1. élevé");
    expect(run.stdout).toMatch(/T-1 ouvert .* Priorité P1/);
    expect(run.stdout).toMatch(/T-1 · P1 · nouveau/);
  });

  it("GIVEN RELAIS_LANG=en THEN the chat answers in English", () => {
    const run = npmStart("/ticket Printer jammed on the 2nd floor\n/ticket take T-9\n", { RELAIS_LANG: "en" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("✅ T-1 opened: “Printer jammed on the 2nd floor”");
    expect(run.stdout).toContain("Ticket T-9 does not exist");
  });

  it("GIVEN the database from a previous run THEN tickets are still there", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const db = { DATABASE_URL: `file:${join(dir, "relais.db")}` };
    expect(npmStart("/ticket Imprimante bloquée au 2e étage\n", db).status).toBe(0);
    const second = npmStart("/ticket list\n", db);
    expect(second.stdout).toContain("T-1 · P3 · nouveau · Imprimante bloquée au 2e étage");
  });

  it("GIVEN a bad policy file THEN the start stops with a message naming the field", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      "timezone: Mars/Olympus\nbusinessHours: {mon: ['08:00-18:00']}\nsla: {}\nautoCloseAfter: 72h\nescalation: {channel: esc, followUp: {incident: 30m, vip: 4h, standard: 24h}}\nmanagers: {}\nrepetition: {count: 3, window: 7bd}\n",
    );
    const run = npmStart("/sla\n", { RELAIS_POLICY: policy });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("timezone: not a known IANA time zone");
    expect(run.stderr).toContain("sla.P1");
  });

  it("GIVEN a policy whose only open weekday is a holiday for the next 30 days THEN the start stops naming the fields", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // Open on Sundays only, and every Sunday of the coming six weeks (from today, wherever CI runs) a holiday.
    const today = new Date();
    const sundays = Array.from({ length: 7 }, (_, k) => {
      const d = new Date(today);
      d.setUTCDate(d.getUTCDate() + ((7 - d.getUTCDay()) % 7) + 7 * k - 7);
      return d.toISOString().slice(0, 10);
    });
    const shipped = readFileSync(join(root, "config/policy.yaml"), "utf8")
      .replace(/^businessHours:[\s\S]*?^\S/m, (m) => `businessHours:\n  sun: ["09:00-17:00"]\n${m.slice(-1)}`)
      .replace(
        /^holidays:[\s\S]*?^\S/m,
        (m) => `holidays: [${sundays.map((d) => `"${d}"`).join(", ")}]\n${m.slice(-1)}`,
      );
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, shipped);
    const run = npmStart("/sla\n", { RELAIS_POLICY: policy });
    expect(run.stderr).toContain("businessHours, holidays: no business day in the 30 days");
    expect(run.status).toBe(1);
  });
});
