import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { APIEmbed } from "discord-api-types/v10";
import { commands } from "../../../commands/index.ts";
import { texts, type Lang } from "../../../src/i18n/index.ts";
import { handleLine } from "../../../src/kit/dispatch.ts";
import { modalFor, modalSteps } from "../../../src/surfaces/discord/forms.ts";
import { DISCORD_LIMITS as L, toDiscord } from "../../../src/surfaces/discord/messages.ts";
import { summaryBlocks, ticketCard } from "../../../src/tickets/views.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";
import { longestTicket, longQueue } from "../long-content.ts";

function embedViolations(embeds: APIEmbed[], where: string): string[] {
  const out: string[] = [];
  if (embeds.length > L.embedsPerMessage) out.push(`${where}: ${embeds.length} embeds`);
  for (const e of embeds) {
    const total =
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    if ((e.title?.length ?? 0) > L.embedTitle) out.push(`${where}: title ${e.title!.length}`);
    if ((e.description?.length ?? 0) > L.embedDescription) out.push(`${where}: description ${e.description!.length}`);
    if ((e.fields?.length ?? 0) > L.embedFields) out.push(`${where}: ${e.fields!.length} fields`);
    for (const f of e.fields ?? []) {
      if (f.name.length > L.fieldName || f.name.length === 0) out.push(`${where}: field name ${f.name.length}`);
      if (f.value.length > L.fieldValue || f.value.length === 0) out.push(`${where}: field value ${f.value.length}`);
    }
    if (total > L.embedTotal) out.push(`${where}: embed total ${total}`);
  }
  return out;
}

let r: TestRelais;
beforeEach(async () => {
  r = await startRelais();
});
afterEach(() => r.close());

describe.each(["fr", "en"] as Lang[])("Discord limits in %s", (lang) => {
  const x = texts(lang, "Europe/Paris");

  it("GIVEN every form THEN each modal step has at most five inputs, short labels and titles, and a custom_id under 100", () => {
    const found: string[] = [];
    for (const command of commands) {
      for (const sub of command.subcommands) {
        const steps = modalSteps(sub, {});
        let values: Record<string, string | number> = {};
        steps.forEach((step, n) => {
          const modal = modalFor(x, command, sub, {
            id: 999_999_999,
            userId: "discord:123456789012345678",
            command: command.name,
            sub: sub.name,
            channel: "1",
            step: n,
            values,
          });
          const where = `/${command.name} ${sub.name} step ${n + 1}`;
          if (modal.components.length > L.modalInputs) found.push(`${where}: ${modal.components.length} inputs`);
          if ([...modal.title].length > L.modalTitle) found.push(`${where}: title "${modal.title}"`);
          if (modal.custom_id.length > L.customId) found.push(`${where}: custom_id`);
          for (const c of modal.components as unknown as {
            label: string;
            component: { custom_id: string; options?: { label: string }[]; min_values?: number; max_values?: number };
          }[]) {
            if ([...c.label].length > L.inputLabel) found.push(`${where}: label "${c.label}"`);
            // Selects (string, user, channel pickers): Discord takes 0 to 25 values, min not above max.
            const { min_values: min = 1, max_values: max = 1 } = c.component;
            if (min < 0 || max > 25 || max < 1 || min > max) found.push(`${where}: select values ${min}..${max}`);
            if (c.component.custom_id.length > L.customId) found.push(`${where}: input custom_id`);
            for (const o of c.component.options ?? [])
              if ([...o.label].length > L.optionLabel) found.push(`${where}: option label`);
          }
          values = { ...values, ...Object.fromEntries(step.map((p) => [p.id, ""])) };
        });
      }
    }
    expect(found).toEqual([]);
    // The fourteen-field ticket form takes three steps.
    expect(modalSteps(commands[0]!.subcommands.find((s) => s.name === "new")!, {}).map((s) => s.length)).toEqual([
      5, 5, 4,
    ]);
  });

  it("GIVEN the longest ticket people can type THEN its card and summary embeds fit", async () => {
    const ticket = await longestTicket(r);
    const card = toDiscord(ticketCard(x, ticket, r.relais.services.sla, r.clock.now()));
    const summary = toDiscord({
      blocks: summaryBlocks(x, ticket, r.relais.services.sla, r.clock.now()),
      ephemeral: true,
    });
    expect([...embedViolations(card.embeds, "card"), ...embedViolations(summary.embeds, "summary")]).toEqual([]);
    for (const row of card.components ?? [])
      for (const b of row.components)
        expect((b as { custom_id: string }).custom_id.length).toBeLessThanOrEqual(L.customId);
  });

  it("GIVEN a queue of 60 long tickets, help and the SLA grid THEN every message fits", async () => {
    await longQueue(r);
    const ctx = r.relais.context({ id: "u", name: "Technicien" }, lang);
    const found: string[] = [];
    for (const line of ["/ticket list", "/ticket help", "/sla", "/ticket show T-1", "/outage list"]) {
      found.push(...embedViolations(toDiscord(await handleLine(line, commands, ctx)).embeds, line));
    }
    expect(found).toEqual([]);
  });
});

describe("the limit checker itself", () => {
  it("GIVEN an embed over the limits THEN it reports it", () => {
    expect(
      embedViolations(
        [{ title: "x".repeat(257), description: "y".repeat(4097), fields: [{ name: "", value: "v" }] }],
        "bad",
      ),
    ).toHaveLength(3);
    expect(
      embedViolations(
        [
          {
            description: "y".repeat(4000),
            fields: [
              { name: "n", value: "v".repeat(1000) },
              { name: "n", value: "v".repeat(1000) },
            ],
          },
        ],
        "big",
      ),
    ).toEqual(["big: embed total 6002"]);
  });
});
