import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { registrationPayload } from "../../../src/surfaces/discord/registration.ts";

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Option {
  type: number;
  name: string;
  name_localizations?: Record<string, string>;
  description: string;
  description_localizations?: Record<string, string>;
  required?: boolean;
  choices?: { name: string; name_localizations?: Record<string, string>; value: string }[];
  options?: Option[];
}

describe("the Discord registration payload", () => {
  const payload = registrationPayload(commands) as unknown as Option[];

  it("GIVEN the command registry THEN every command, subcommand and option follows Discord's naming rules", () => {
    expect(payload.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    const problems: string[] = [];
    const check = (o: Option, where: string) => {
      if (!NAME.test(o.name) || o.name !== o.name.toLowerCase()) problems.push(`${where}: name "${o.name}"`);
      for (const [lang, n] of Object.entries(o.name_localizations ?? {}))
        if (!NAME.test(n) || n !== n.toLowerCase()) problems.push(`${where}: ${lang} name "${n}"`);
      if (o.description.length < 1 || o.description.length > 100)
        problems.push(`${where}: description length ${o.description.length}`);
      for (const d of Object.values(o.description_localizations ?? {}))
        if (d.length > 100) problems.push(`${where}: localised description too long`);
      if ((o.choices?.length ?? 0) > 25) problems.push(`${where}: too many choices`);
      for (const c of o.choices ?? [])
        if (c.name.length > 100 || Object.values(c.name_localizations ?? {}).some((n) => n.length > 100))
          problems.push(`${where}: choice name too long`);
      const opts = o.options ?? [];
      if (opts.length > 25) problems.push(`${where}: more than 25 options`);
      // Required options come first.
      const firstOptional = opts.findIndex((x) => x.type !== 1 && !x.required);
      if (firstOptional >= 0 && opts.slice(firstOptional).some((x) => x.required))
        problems.push(`${where}: a required option after an optional one`);
      const names = opts.map((x) => x.name);
      if (new Set(names).size !== names.length) problems.push(`${where}: duplicate option names`);
      for (const x of opts) check(x, `${where} ${x.name}`);
    };
    for (const c of payload) check(c, `/${c.name}`);
    expect(problems).toEqual([]);
  });

  it("GIVEN French users THEN names and descriptions are localised", () => {
    const ticket = payload.find((c) => c.name === "ticket")!;
    expect(ticket.description_localizations?.fr).toBe("ouvrir et suivre les tickets du support");
    const take = ticket.options!.find((o) => o.name === "take")!;
    expect(take.name_localizations?.fr).toBe("prendre");
    expect(take.options![0]).toMatchObject({
      name: "ref",
      required: true,
      description_localizations: { fr: "la référence du ticket (T-<n>)" },
    });
    const wait = ticket.options!.find((o) => o.name === "wait")!;
    const on = wait.options!.find((o) => o.name === "waiting_on")!;
    expect(on.choices!.map((c) => c.value)).toEqual(["requester", "third-party", "validation"]);
    expect(on.choices![0]!.name_localizations?.fr).toBe("demandeur");
    expect(payload.find((c) => c.name === "outage")!.name_localizations?.fr).toBe("panne");
  });

  it("GIVEN a subcommand with a form THEN only the reference is required: the modal asks the rest", () => {
    const update = payload.find((c) => c.name === "ticket")!.options!.find((o) => o.name === "update")!;
    expect(update.options!.map((o) => [o.name, o.required])).toEqual([
      ["ref", true],
      ["stage", false],
      ["next_action", false],
    ]);
  });
});
