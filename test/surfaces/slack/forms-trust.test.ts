import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FormSeal } from "../../../src/kit/form-seal.ts";
import type { FormState } from "../../../src/kit/forms.ts";
import { blockAction, SECRET, type SlackHarness, startSlackHarness, viewSubmission } from "./harness.ts";

/**
 * Issue 13 on Slack: nothing a modal carries back is trusted, refusals knowable at submission come
 * back beside their field with the modal kept open, and a refusal found after the ack offers the
 * form again filled in with what was typed.
 */
let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

const ALICE = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" };
const BOB = { id: "U-BOB", username: "bob", name: "bob", team_id: "T1" };
type View = { private_metadata: string; callback_id: string; blocks: Block[] };
type Block = { block_id: string; element: Record<string, unknown> };
const views = () => h.slack.of("views.open").map((c) => c.body.view as View);
const posts = () => h.slack.of("chat.postMessage").length;

async function opened(n: number): Promise<View> {
  await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length === n, `modal ${n}`);
  return views()[n - 1]!;
}

/** Everything a refusal must leave as it was: tickets, their timelines, what Slack received. */
async function snapshot() {
  const { tickets } = await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all");
  const events = await Promise.all(tickets.map((t) => h.r.relais.services.tickets.timeline(t.id)));
  return JSON.stringify({ tickets, events, posts: posts() });
}

/** A ticket T-1 owned by Alice, its card posted. */
async function ticket(): Promise<void> {
  await h.command("Messagerie inaccessible");
  await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card");
}

/** The "Reopen the form" button of the n-th private reply: its value is the kept draft's id. */
function reopenButton(n = 0): { action_id: string; value: string } | undefined {
  const blocks = h.slack.of("chat.postEphemeral")[n]!.body.blocks as {
    elements?: { action_id: string; value: string }[];
  }[];
  return blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === "form_reopen");
}

/** Polls the store (bounded) until the work after an ack has happened. */
async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 20));
  if (!(await cond())) throw new Error("condition not reached");
}

/** What Relais says to an answered submission: `response_action` and its errors or view. */
const action = (res: { json: () => unknown }) =>
  res.json() as { response_action: string; errors?: Record<string, string>; view?: { blocks: unknown[] } };

describe("Slack: a modal's metadata is Relais's, signed", () => {
  const forged = (metadata: string) =>
    h.interact(viewSubmission({ callback_id: "relais_form", private_metadata: metadata }, { title: "Forgé" }, "V-F"));

  it("GIVEN the metadata of a real form with a value, the subcommand or the command changed, unsigned, or signed for someone else THEN each is refused politely and nothing changes", async () => {
    await h.command("");
    const form = await opened(1);
    const [signature, json] = [form.private_metadata.slice(0, 64), form.private_metadata.slice(65)];
    const state = JSON.parse(json) as FormState;
    expect(form.private_metadata).toMatch(/^[0-9a-f]{64}\./);
    const before = await snapshot();
    const changed = (patch: Partial<FormState>) => `${signature}.${JSON.stringify({ ...state, ...patch })}`;
    const attempts = [
      changed({ given: { impact: "high", urgency: "high", workaround: "none" } }),
      changed({ sub: "priority", given: { ref: 1, priority: "P1", reason: "40 utilisateurs" } }),
      changed({ command: "outage", sub: "declare" }),
      json,
      `${"0".repeat(64)}.${json}`,
      "",
      FormSeal.fromSecrets(undefined, SECRET).seal(state, "U-BOB"),
      FormSeal.fromSecrets(undefined, "another-secret").seal(state, "U-ALICE"),
    ];
    for (const metadata of attempts) {
      const res = await forged(metadata);
      expect(res.status).toBe(200);
      expect(action(res).response_action).toBe("update");
      expect(JSON.stringify(action(res).view)).toContain("Ce formulaire n’a pas pu être vérifié");
    }
    expect(await snapshot()).toBe(before);
    expect(h.slack.calls.filter((c) => c.method !== "views.open")).toHaveLength(0);
  });

  it("GIVEN a state signed with Relais's key but carrying values no field would read (a forged impact, a forged priority, a value for no field) THEN each is refused and nothing changes", async () => {
    await ticket();
    const seal = FormSeal.fromSecrets(undefined, SECRET);
    const before = await snapshot();
    const signed = (sub: string, given: FormState["given"]) =>
      seal.seal({ command: "ticket", sub, channel: "C-HELP", given }, "U-ALICE");
    const cases: [string, Record<string, string>, string][] = [
      [signed("new", { impact: "critical", urgency: "high", workaround: "none" }), { title: "Forgé" }, "critical"],
      [signed("priority", { ref: 1, priority: "P0" }), { reason: "40 utilisateurs bloqués" }, "P0"],
      [signed("priority", { ref: "T-1; DROP", priority: "P1" }), { reason: "40 utilisateurs bloqués" }, "DROP"],
      [signed("new", { owner: "slack:U-BOB" }), { title: "Forgé" }, "n’a pas pu être vérifié"],
      [signed("new", { impact: 1 }), { title: "Forgé" }, "n’a pas pu être vérifié"],
    ];
    for (const [n, [metadata, fields, words]] of cases.entries()) {
      const res = await h.interact(
        viewSubmission({ callback_id: "relais_form", private_metadata: metadata }, fields, `V-${n}`),
      );
      expect(res.status).toBe(200);
      await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postEphemeral").length === n + 1, `refusal ${n}`);
      expect(JSON.stringify(h.slack.of("chat.postEphemeral")[n]!.body)).toContain(words);
    }
    expect(await snapshot()).toBe(before);
    expect((await h.r.relais.services.tickets.get(1)).priority).toBe("P3");
  });
});

describe("Slack: refusals beside the field, the modal kept", () => {
  it("GIVEN an over-long department in the ticket form THEN only that block gets the error, the modal stays open, and a corrected submission creates the ticket", async () => {
    await h.command("");
    const form = await opened(1);
    const typed = {
      title: "Serveur de fichiers indisponible",
      department: "x".repeat(201),
      workstation: "PC-12",
      impact: "select:high",
      urgency: "select:high",
      workaround: "select:none",
    };
    const before = await snapshot();
    const res = await h.interact(viewSubmission(form, typed, "V-LONG"));
    expect(action(res)).toEqual({
      response_action: "errors",
      errors: { department: "Le champ Service / département fait 201 caractères ; 200 au plus." },
    });
    expect(await snapshot()).toBe(before);
    // The same view (same id: it stayed open), fixed.
    await h.interact(viewSubmission(form, { ...typed, department: "Logistique" }, "V-LONG"));
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card");
    expect(await h.r.relais.services.tickets.get(1)).toMatchObject({
      department: "Logistique",
      workstation: "PC-12",
      priority: "P1",
    });
  });

  it("GIVEN a priority reason that names no objective criterion THEN the refusal is beside the reason and nothing changes", async () => {
    await ticket();
    await h.command("priority T-1");
    const form = await opened(1);
    expect(form.blocks.map((b) => b.block_id)).toEqual(["priority", "reason"]);
    const before = await snapshot();
    const res = await h.interact(
      viewSubmission(form, { priority: "select:P1", reason: "le demandeur insiste" }, "V-P"),
    );
    expect(action(res).response_action).toBe("errors");
    expect(Object.keys(action(res).errors!)).toEqual(["reason"]);
    expect(action(res).errors!.reason).toContain("critère objectif");
    expect(await snapshot()).toBe(before);
  });

  it("GIVEN a ticket resolved while its resolve form was open THEN the lifecycle refusal is beside the form's first field and nothing changes", async () => {
    await ticket();
    await h.interact(blockAction("ticket_resolve", "1", {}, ALICE));
    const form = await opened(1);
    await h.command("resolve T-1 fixed Redémarrage du service");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 3, "resolved");
    const before = await snapshot();
    const res = await h.interact(viewSubmission(form, { kind: "select:fixed", note: "Redémarré" }, "V-R"));
    expect(action(res).response_action).toBe("errors");
    expect(Object.keys(action(res).errors!)).toEqual([form.blocks[0]!.block_id]);
    expect(action(res).errors!.kind).toContain("résolu");
    expect(await snapshot()).toBe(before);
  });
});

describe("Slack: a refusal found after the ack keeps what was typed", () => {
  it("GIVEN a priority change refused after the ack THEN the private refusal offers 'Rouvrir le formulaire', only its author can use it, and it opens the same form filled in", async () => {
    await ticket();
    await h.command("priority T-1");
    const form = await opened(1);
    const before = await snapshot();
    // No reason at all: the domain's refusal (it names the priorities), found when the change runs.
    await h.interact(viewSubmission(form, { priority: "select:P1", reason: "" }, "V-LATE"));
    await h.slack.waitFor((c) => c.some((x) => x.method === "chat.postEphemeral"), "refusal");
    const refusal = h.slack.of("chat.postEphemeral")[0]!.body;
    expect(refusal).toMatchObject({ channel: "C-HELP", user: "U-ALICE" });
    const said = JSON.stringify(refusal.blocks);
    expect(said).toContain("demande une raison objective");
    expect(said).toContain("Rouvrir le formulaire");
    const button = reopenButton()!;
    expect(button.value).toMatch(/^\d+$/);
    expect(await snapshot()).toBe(before);

    // Someone else's click on it: refused, no form.
    const bobUrl = h.slack.responseUrl("bob");
    await h.interact(blockAction("form_reopen", button.value, { response_url: bobUrl }, BOB));
    await h.slack.waitFor((c) => c.some((x) => x.method === "response/bob"), "bob refused");
    expect(JSON.stringify(h.slack.of("response/bob")[0]!.body)).toContain("n’existe plus");
    expect(views()).toHaveLength(1);

    // Alice's click: the same form, for the same ticket, with what she chose.
    await h.interact(blockAction("form_reopen", button.value, {}, ALICE));
    const again = await opened(2);
    expect(again.blocks.map((b) => b.block_id)).toEqual(["priority", "reason"]);
    expect(again.blocks[0]!.element.initial_option).toMatchObject({ value: "P1" });
    const state = FormSeal.fromSecrets(undefined, SECRET).open(again.private_metadata, "U-ALICE");
    expect(state).toMatchObject({ command: "ticket", sub: "priority", given: { ref: 1 } });
    // Fixed and sent: the change is made.
    await h.interact(viewSubmission(again, { priority: "select:P1", reason: "40 utilisateurs bloqués" }, "V-AGAIN"));
    await until(async () => (await h.r.relais.services.tickets.get(1)).priority === "P1");
  });

  it("GIVEN an escalation note refused after the ack (3W) THEN the reopened form holds every field as typed", async () => {
    await ticket();
    await h.command("T-1", {}, "/escalate");
    const form = await opened(1);
    const typed = {
      type: "select:technical",
      direction: "select:functional",
      targetTeam: "Réseau N3",
      request: "Valider le redémarrage du cœur de réseau",
      urgency: "select:immediate",
      context: "Messagerie coupée pour le siège",
      facts: "09:10 premières alertes",
    };
    await h.interact(viewSubmission(form, typed, "V-ESC"));
    await h.slack.waitFor((c) => c.some((x) => x.method === "chat.postEphemeral"), "refusal");
    const { value } = reopenButton()!;
    await h.interact(blockAction("form_reopen", value, {}, ALICE));
    const again = await opened(2);
    const initial = Object.fromEntries(
      again.blocks.map((b) => [
        b.block_id,
        (b.element.initial_option as { value?: string } | undefined)?.value ?? b.element.initial_value,
      ]),
    );
    expect(initial).toMatchObject({
      type: "technical",
      direction: "functional",
      targetTeam: "Réseau N3",
      request: "Valider le redémarrage du cœur de réseau",
      urgency: "immediate",
      context: "Messagerie coupée pour le siège",
      facts: "09:10 premières alertes",
    });
  });
});
