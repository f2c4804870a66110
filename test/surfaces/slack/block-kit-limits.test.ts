import { FormSeal } from "../../../src/kit/form-seal.ts";
import type { KnownBlock, ModalView } from "@slack/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { formParams } from "../../../src/kit/command.ts";
import { toBlocks, SLACK_LIMITS as L } from "../../../src/surfaces/slack/blocks.ts";
import { formView } from "../../../src/surfaces/slack/forms.ts";
import { texts, type Lang } from "../../../src/i18n/index.ts";
import { summaryBlocks, ticketCard } from "../../../src/tickets/views.ts";
import { DESK_LIMIT, readDesk } from "../../../src/tickets/desk.ts";
import { homeView } from "../../../src/surfaces/slack/home.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";
import { longestTicket, longQueue } from "../long-content.ts";

/** Every violation of Slack's documented Block Kit limits found in `blocks`. */
function violations(blocks: KnownBlock[], where: string, max: number): string[] {
  const out: string[] = [];
  const len = (s: string | undefined) => [...(s ?? "")].length;
  const check = (cond: boolean, what: string) => !cond && out.push(`${where}: ${what}`);
  check(blocks.length <= max, `${blocks.length} blocks > ${max}`);
  // biome-ignore lint/suspicious/noExplicitAny: walks arbitrary Block Kit JSON
  for (const b of blocks as unknown as Record<string, any>[]) {
    if (b.block_id) check(len(b.block_id) <= L.blockId, "block_id too long");
    if (b.type === "header") check(len(b.text.text) <= L.headerText, "header text too long");
    if (b.type === "section") {
      if (b.text) check(len(b.text.text) <= L.sectionText, `section text ${len(b.text.text)}`);
      if (b.fields) {
        check(b.fields.length <= L.fieldsPerSection, "too many fields");
        for (const f of b.fields) check(len(f.text) <= L.fieldText, `field text ${len(f.text)}`);
      }
    }
    if (b.type === "context") {
      check(b.elements.length <= L.contextElements, "too many context elements");
      for (const e of b.elements) check(len(e.text) <= L.sectionText, "context text too long");
    }
    if (b.type === "actions") {
      check(b.elements.length <= 25, "too many actions");
      for (const e of b.elements) {
        check(len(e.action_id) <= L.actionId, "action_id too long");
        check(len(e.text.text) <= L.buttonText, "button text too long");
        check(len(e.value) <= L.buttonValue, "button value too long");
      }
    }
    if (b.type === "input") {
      check(len(b.label.text) <= L.inputLabel, "input label too long");
      check(len(b.element.action_id) <= L.actionId, "action_id too long");
      for (const o of b.element.options ?? []) {
        check(len(o.text.text) <= L.optionText, `option text "${o.text.text}" too long`);
        check(len(o.value) <= 150, "option value too long");
      }
      check((b.element.options ?? []).length <= L.optionsPerSelect, "too many options");
    }
  }
  return out;
}

function viewViolations(v: ModalView, where: string): string[] {
  const out = violations(v.blocks as KnownBlock[], where, L.blocksPerView);
  if ([...v.title.text].length > L.modalTitle) out.push(`${where}: title "${v.title.text}" > ${L.modalTitle}`);
  if (v.submit && [...v.submit.text].length > L.modalButton) out.push(`${where}: submit too long`);
  if (v.close && [...v.close.text].length > L.modalButton) out.push(`${where}: close too long`);
  if ([...(v.private_metadata ?? "")].length > L.privateMetadata) out.push(`${where}: private_metadata too long`);
  if ((v.callback_id?.length ?? 0) > L.blockId) out.push(`${where}: callback_id too long`);
  return out;
}

let r: TestRelais;
beforeEach(async () => {
  r = await startRelais();
});
afterEach(() => r.close());

describe.each(["fr", "en"] as Lang[])("Block Kit limits in %s", (lang) => {
  const x = texts(lang, "Europe/Paris");
  const seal = FormSeal.fromSecrets(undefined, "test-signing-secret");

  it("GIVEN every command's form as a modal (with every field open) THEN it fits Slack's limits", () => {
    const found: string[] = [];
    for (const command of commands) {
      for (const sub of command.subcommands) {
        const full = { command: command.name, sub: sub.name, channel: "C".repeat(11), given: { ref: 999_999_999 } };
        const view = formView(x, { command, sub, state: full, initial: {} }, seal.seal(full, "U".repeat(11)));
        found.push(...viewViolations(view, `/${command.name} ${sub.name}`));
        const state = { command: command.name, sub: sub.name, channel: "C1", given: {} };
        const empty = formView(x, { command, sub, state, initial: {} }, seal.seal(state, "U1"));
        // One block a field; a person has two (the user picker, and a caller's name beside it).
        const blocks = formParams(sub).reduce((n, p) => n + (p.type.kind === "person" ? 2 : 1), 0);
        expect(empty.blocks).toHaveLength(blocks);
        found.push(...viewViolations(empty, `/${command.name} ${sub.name} (empty)`));
      }
    }
    expect(found).toEqual([]);
  });

  it("GIVEN the longest ticket people can type THEN its card, summary and replies fit", async () => {
    const ticket = await longestTicket(r);
    const now = r.clock.now();
    const card = toBlocks(ticketCard(x, ticket, r.relais.services.sla, now));
    const summary = toBlocks({ blocks: summaryBlocks(x, ticket, r.relais.services.sla, now), ephemeral: true });
    expect([
      ...violations(card.blocks, "card", L.blocksPerMessage),
      ...violations(summary.blocks, "summary", L.blocksPerMessage),
    ]).toEqual([]);
    expect([...card.text].length).toBeLessThanOrEqual(3000);
  });

  it("GIVEN a queue of 200 long tickets, the help and the SLA grid THEN every message fits", async () => {
    await longQueue(r);
    const ctx = r.relais.context({ id: "u", name: "Technicien" }, lang);
    const { handleLine } = await import("../../../src/kit/dispatch.ts");
    const found: string[] = [];
    for (const line of [
      "/ticket list",
      "/ticket help",
      "/ticket priority help",
      "/sla",
      "/ticket show T-1",
      "/ticket lsit",
      "/ticket show T-404",
    ]) {
      const reply = await handleLine(line, commands, ctx);
      found.push(...violations(toBlocks(reply).blocks, line, L.blocksPerMessage));
    }
    expect(found).toEqual([]);
  });
});

describe.each(["fr", "en"] as Lang[])("App Home limits in %s", (lang) => {
  it("GIVEN a technician owning the longest ticket and a queue of 60 long ones THEN their home view fits, the rest counted", async () => {
    await longestTicket(r);
    await longQueue(r);
    const x = texts(lang, "Europe/Paris", r.clock);
    const { store, services } = r.relais;
    const desk = await readDesk({ ...store, clock: r.clock }, { id: "u", manager: true });
    expect(desk.tickets.items).toHaveLength(DESK_LIMIT);
    expect(desk.tickets.total).toBe(61);
    const view = homeView(x, desk, services.sla);
    expect(violations(view.blocks as KnownBlock[], "home", L.blocksPerView)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain(x.t("desk.more", { more: 61 - DESK_LIMIT }));
  });
});

describe("the limit checker itself", () => {
  it("GIVEN blocks over the limits THEN it reports each one", () => {
    const bad = [
      { type: "header", text: { type: "plain_text", text: "x".repeat(151) } },
      { type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } },
      { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "x" })) },
    ] as KnownBlock[];
    expect(violations(bad, "bad", 2)).toHaveLength(4);
    const view = {
      type: "modal",
      title: { type: "plain_text", text: "Un titre beaucoup trop long ici" },
      blocks: [],
    } as unknown as ModalView;
    expect(viewViolations(view, "v")).toHaveLength(1);
  });
});
