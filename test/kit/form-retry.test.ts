import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { Param } from "../../src/kit/command.ts";
import { type FormAsker, handleLine } from "../../src/kit/dispatch.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice } from "../support/fixtures.ts";

/**
 * Issue 13 in the shell: a form is prompts, so a refusal beside a field asks that field again, and a
 * refusal found when the command runs asks the form again with everything typed proposed.
 */
let r: TestRelais;
beforeEach(async () => {
  r = await startRelais();
});
afterEach(() => r.close());

/** Answers prompts from a script per field (one answer per time asked), recording what it was shown. */
class ScriptedAsker implements FormAsker {
  readonly asked: { id: string; proposed?: string }[] = [];
  readonly errors: string[] = [];
  constructor(
    private readonly script: Record<string, (string | undefined)[]>,
    private readonly onAsk?: (id: string) => Promise<void>,
  ) {}
  async ask(param: Param, _attempt: number, proposed?: string): Promise<string | undefined> {
    this.asked.push({ id: param.id, ...(proposed !== undefined ? { proposed } : {}) });
    await this.onAsk?.(param.id);
    const answers = this.script[param.id];
    return answers && answers.length > 0 ? answers.shift() : "";
  }
  onError(message: string): void {
    this.errors.push(message);
  }
}

const run = (line: string, asker: FormAsker, actor = alice) =>
  handleLine(line, commands, r.relais.context(actor, "fr"), asker);

describe("shell: refusals beside the field, nothing typed lost", () => {
  it("GIVEN an over-long department THEN that field alone is asked again, and the ticket keeps every other answer", async () => {
    const asker = new ScriptedAsker({
      title: ["Serveur de fichiers indisponible"],
      department: ["x".repeat(201), "Logistique"],
      workstation: ["PC-12"],
    });
    const reply = await run("/ticket", asker);
    expect(reply.error).toBeUndefined();
    expect(asker.errors).toEqual(["Le champ Service / département fait 201 caractères ; 200 au plus."]);
    expect(asker.asked.filter((a) => a.id === "department")).toHaveLength(2);
    expect(asker.asked.filter((a) => a.id === "title")).toHaveLength(1);
    expect(await r.relais.services.tickets.get(1)).toMatchObject({
      title: "Serveur de fichiers indisponible",
      department: "Logistique",
      workstation: "PC-12",
    });
  });

  it("GIVEN the ticket resolved while its update form is being filled THEN the refusal is shown at the first field, asked again, and nothing changes", async () => {
    await r.say("/ticket Messagerie inaccessible");
    const resolveMeanwhile = async (id: string) => {
      if (id === "nextUpdate" && (await r.relais.services.tickets.get(1)).status !== "resolved")
        await r.relais.services.tickets.resolve(alice, 1, { kind: "fixed" });
    };
    const asker = new ScriptedAsker(
      { stage: ["diagnostic", undefined], nextAction: ["Tester le port"] },
      resolveMeanwhile,
    );
    const timeline = (await r.relais.services.tickets.timeline(1)).length;
    const reply = await run("/ticket update T-1", asker);
    expect(asker.errors[0]).toContain("résolu");
    expect(asker.asked.map((a) => a.id)).toEqual([
      "stage",
      "nextAction",
      "blocker",
      "lastAction",
      "nextUpdate",
      "stage",
    ]);
    expect(asker.asked.at(-1)).toEqual({ id: "stage", proposed: "diagnostic" });
    expect(reply.error).toBeUndefined();
    expect(JSON.stringify(reply.blocks)).toContain("résolu");
    expect((await r.relais.services.tickets.timeline(1)).length).toBe(timeline + 1); // the resolution only
  });

  it("GIVEN a priority change refused when it runs THEN the form is asked again with what was typed proposed, and Enter keeps it", async () => {
    await r.say("/ticket Messagerie inaccessible");
    const asker = new ScriptedAsker({ priority: ["P1", ""], reason: ["", "40 utilisateurs bloqués"] });
    const reply = await run("/ticket priority T-1", asker);
    expect(asker.errors[0]).toContain("demande une raison objective");
    expect(asker.asked).toEqual([
      { id: "priority" },
      { id: "reason" },
      { id: "priority", proposed: "P1" },
      { id: "reason", proposed: "" },
    ]);
    expect(reply.error).toBeUndefined();
    expect((await r.relais.services.tickets.get(1)).priority).toBe("P1");
  });
});
