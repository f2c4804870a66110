import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import type { Lang } from "../../../src/i18n/index.ts";
import { ShellScreen } from "../../../src/surfaces/shell/screen.ts";
import { runShell } from "../../../src/surfaces/shell/shell.ts";
import { ShellSender } from "../../../src/surfaces/shell/shell-sender.ts";
import { type OutboxRelais, startRelaisWithOutbox } from "../../helpers.ts";
import { paris, TUESDAY_10 } from "../../support/fixtures.ts";

/** Issue 15, "The shell": what the person sees in the terminal. */

let r: OutboxRelais;
afterEach(() => r?.close());

const carla = { id: "shell:carla", name: "carla" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are stripped to read the screen
const ANSI = /\u001b\[[0-9;]*[A-Za-z]|\r/g;

/** Runs the shell, not interactive (as piped), over `lines`; returns everything it printed. */
async function pipe(lines: string[], lang: Lang = "fr"): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (c: Buffer) => {
    printed += c.toString();
  });
  const done = runShell({
    input,
    output,
    commands,
    context: (a) => r.relais.context(a, lang),
    actor: carla,
    texts: r.relais.context(carla, lang).texts,
    interactive: false,
  });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed;
}

describe("a cancel word leaves a form, the shell goes on", () => {
  it.each([
    ["fr", "annuler", "Formulaire annulé : rien n’a été enregistré.", "Aucun ticket"],
    ["en", "CANCEL", "Form cancelled: nothing was saved.", "No tickets"],
  ] as const)(
    "GIVEN a form (%s) answered '%s' THEN it is left, nothing saved, and the next command runs",
    async (lang, word, said, empty) => {
      r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
      const printed = await pipe(["/ticket", word, "/ticket list"], lang);
      const after = printed.slice(printed.indexOf(`  ${word}`));
      expect(after).toContain(said);
      expect(after.indexOf(said)).toBeLessThan(after.indexOf("> /ticket list"));
      expect(after.slice(after.indexOf("> /ticket list"))).toContain(empty);
      expect((await r.relais.services.tickets.list(carla, "all")).total).toBe(0);
    },
  );
});

describe("'non' / 'no' where a yes/no choice is asked", () => {
  it.each([
    ["fr", "non", "aucun contournement"],
    ["en", "no", "no workaround"],
  ] as const)(
    "GIVEN the workaround question (%s) answered '%s' THEN there is none, and the priority says so",
    async (lang, answer, none) => {
      r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
      const created = await r.text("/ticket", {
        lang,
        form: { title: "Imprimante HS", impact: "élevé", urgency: "haute", workaround: answer },
      });
      expect(created).toContain("P1");
      expect(created).toContain(none);
    },
  );

  it("GIVEN the form in the shell THEN the prompt lists translated words, and 'non' is accepted without a refusal", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    // Title, Enter through requester, department and workstation, impact and urgency, then "non".
    const printed = await pipe([
      "/ticket",
      "Imprimante HS",
      "",
      "",
      "",
      "élevé",
      "haute",
      "non",
      ...Array(20).fill(""),
    ]);
    expect(printed).toContain("? Contournement — choisissez : 1. aucun contournement, 2. contournement partiel");
    const workaround = printed.slice(printed.indexOf("? Contournement —"));
    expect(workaround.split("\n")[1]).toBe("  non");
    expect(workaround.split("\n")[2]).not.toMatch(/^!/);
  });
});

describe("help and choices show translated words only", () => {
  it.each(["fr", "en"] as const)("GIVEN /ticket help (%s) THEN no internal id is shown", async (lang) => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    const help = await r.text(lang === "fr" ? "/ticket aide" : "/ticket help", { lang });
    const ids = ["log_analysis", "wont_do", "nextAction", "waitingFor", "fixed|workaround"];
    for (const id of lang === "fr" ? [...ids, "third-party", "open|mine"] : ids) {
      expect(help).not.toContain(id);
    }
    expect(help).toContain(lang === "fr" ? "analyse-des-logs" : "log-analysis");
    expect(help).toContain(lang === "fr" ? "ouverts|les-miens|tous" : "open|mine|all");
  });

  it("GIVEN the words help shows, or the ids as before THEN the parser takes them (accents aside)", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    await r.say("/ticket Imprimante HS");
    await r.say("/ticket take T-1");
    for (const stage of ["analyse-des-logs", "log_analysis", "log-analysis", "Analyse-Des-Logs"]) {
      const reply = await r.text(`/ticket maj T-1 ${stage} Relire les journaux`);
      expect(reply).toContain("analyse des logs");
    }
    expect(await r.text("/ticket liste les-miens")).toContain("T-1");
    expect(
      await r.text("/ticket resoudre T-1 ne-sera-pas-fait", { form: { alternative: "Imprimante du 3e" } }),
    ).toContain("ne sera pas fait");
  });
});

describe("a post from the outbox does not break the prompt", () => {
  it("GIVEN a person typing when a post arrives THEN the post is printed above, the prompt and the typed text are drawn again, and the line runs whole", async () => {
    r = await startRelaisWithOutbox({ now: paris(TUESDAY_10) });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (c: Buffer) => {
      printed += c.toString();
    });
    const screen = new ShellScreen(output);
    const sender = new ShellSender(screen);
    const done = runShell({
      input,
      output,
      screen,
      commands,
      context: (a) => r.relais.context(a, "fr"),
      actor: carla,
      texts: r.relais.context(carla, "fr").texts,
      interactive: true,
    });
    input.write("/ticket li");
    await new Promise((ok) => setTimeout(ok, 20));
    await sender.send("support", { blocks: [{ type: "text", text: "🚨 INC-1 déclaré" }], ephemeral: false });
    const screenNow = printed.replace(ANSI, "");
    // The post on a line of its own, then the prompt with what was typed, ready to go on.
    expect(screenNow.endsWith("→ #support : 🚨 INC-1 déclaré\n> /ticket li")).toBe(true);
    input.write("ste\n");
    await new Promise((ok) => setTimeout(ok, 50));
    input.end();
    await done;
    expect(printed.replace(ANSI, "")).toContain("Aucun ticket");
  });
});
