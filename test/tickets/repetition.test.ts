import { describe, expect, it } from "vitest";
import { sameProblem } from "../../src/tickets/repetition.ts";
import { relaisPerTest } from "../helpers.ts";
import { paris } from "../support/fixtures.ts";

const start = relaisPerTest();

const form = (title: string, requester: string, department = "Logistique") => ({ title, requester, department });

describe("repetition is a trigger (seed 003 §7)", () => {
  it("GIVEN two titles THEN the same problem is recognised across wording, accents and case", () => {
    expect(
      sameProblem("Logiciel de planification des routes plante", "PLANIFICATION routes : le logiciel plante encore"),
    ).toBe(true);
    expect(sameProblem("Mot de passe oublié", "Imprimante bloquée")).toBe(false);
  });

  it("GIVEN the same requester's third ticket on the same problem within 7 business days THEN it is flagged and a repetition escalation suggested", async () => {
    const r = await start({ now: paris("2026-11-23T09:00") }); // Monday
    await r.say("/ticket", { form: form("Mot de passe du poste perdu", "M. Martin") });
    r.clock.set(paris("2026-11-26T09:00"));
    const second = await r.say("/ticket", { form: form("Mot de passe perdu sur le poste", "M. Martin") });
    expect(JSON.stringify(second.blocks)).not.toContain("🔁");
    r.clock.set(paris("2026-11-30T09:00"));
    await r.say("/ticket", { form: form("Imprimante bloquée", "M. Martin") }); // another problem
    const third = await r.say("/ticket", { form: form("Encore le mot de passe perdu", "M. Martin") });
    expect(JSON.stringify(third.blocks)).toContain(
      "🔁 3e ticket de M. Martin sur le même problème en 7 jours ouvrés (T-2, T-1)",
    );
    expect((await r.relais.services.tickets.timeline(4)).map((e) => e.kind)).toEqual(["created", "repetition_flagged"]);
  });

  it("GIVEN the earlier tickets outside the window THEN nothing is flagged", async () => {
    const r = await start({ now: paris("2026-11-02T09:00") });
    await r.say("/ticket", { form: form("Mot de passe du poste perdu", "M. Martin") });
    await r.say("/ticket", { form: form("Mot de passe perdu", "M. Martin") });
    r.clock.set(paris("2026-11-30T09:00"));
    const late = await r.say("/ticket", { form: form("Mot de passe perdu encore", "M. Martin") });
    expect(JSON.stringify(late.blocks)).not.toContain("🔁");
  });
});
