import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { button, chatInput, modalSubmit } from "../../support/discord-gateway.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

/**
 * Issue 13 on Discord: a form's draft belongs to the person who opened it and its values are read
 * again as if typed; a refused step comes back filled in with what was typed; a refusal found after
 * the deferral offers the form again, filled in.
 */
let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

const BOB = { userId: "300000000000000002", username: "bob" };
type Modal = { type: number; data: { custom_id: string; title: string; components: Label[] } };
type Label = { component: { custom_id: string; value?: string; options?: { value: string; default?: boolean }[] } };

/** The n-th interaction callback (1-based), once it has arrived. */
async function callback(n: number) {
  await h.discord.waitFor(() => h.callbacks().length >= n, `callback ${n}`);
  return h.callbacks()[n - 1]!;
}

/** What a modal shows filled in, by field id: a text input's value, a select's default option. */
function shown(modal: Modal): Record<string, string | undefined> {
  return Object.fromEntries(
    modal.data.components.map(({ component: c }) => [c.custom_id, c.value ?? c.options?.find((o) => o.default)?.value]),
  );
}

async function snapshot() {
  const { tickets } = await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all");
  const events = await Promise.all(tickets.map((t) => h.r.relais.services.tickets.timeline(t.id)));
  return JSON.stringify({ tickets, events, posts: h.channelPosts(CHANNEL).length });
}

const STEP_1 = {
  title: "Serveur de fichiers indisponible",
  requester: "M. Leroy",
  department: "Logistique",
  workstation: "PC-12",
  impact: ["high"],
};

describe("Discord: a form's draft is its author's, its values checked again", () => {
  it("GIVEN Alice's form THEN Bob submitting its step or continuing it, and a forged custom id, are refused; nothing changes", async () => {
    h.feed(chatInput("ticket", "new"));
    const modal = (await callback(1)) as Modal;
    const customId = modal.data.custom_id;
    const draftId = Number(customId.split(":")[2]);
    const before = await snapshot();
    h.feed(modalSubmit(customId, STEP_1, BOB));
    expect(JSON.stringify(await callback(2))).toContain("n’existe plus");
    h.feed(button(`relais:form:next:${draftId}`, BOB));
    expect(JSON.stringify(await callback(3))).toContain("n’existe plus");
    h.feed(modalSubmit(`relais:form:${draftId + 100}:0`, STEP_1));
    expect(JSON.stringify(await callback(4))).toContain("n’existe plus");
    h.feed(modalSubmit(`relais:form:${draftId}:2`, STEP_1));
    expect(JSON.stringify(await callback(5))).toContain("n’existe plus");
    // Alice's draft is untouched, still hers, and her own step goes through.
    expect(await h.r.relais.store.drafts.get(draftId)).toMatchObject({ userId: "discord:300000000000000001", step: 0 });
    expect(await snapshot()).toBe(before);
    h.feed(modalSubmit(customId, STEP_1));
    expect(JSON.stringify(await callback(6))).toContain("Étape 1/3 enregistrée");
  });

  it("GIVEN a draft whose stored values were tampered with THEN the last step is refused and no ticket is created", async () => {
    h.feed(chatInput("ticket", "new"));
    const customId = ((await callback(1)) as Modal).data.custom_id;
    const draftId = Number(customId.split(":")[2]);
    h.feed(modalSubmit(customId, STEP_1));
    await callback(2);
    const draft = (await h.r.relais.store.drafts.get(draftId))!;
    await h.r.relais.store.drafts.save(draftId, draft.step, { ...draft.values, impact: "critical" }, h.r.clock.now());
    h.feed(button(`relais:form:next:${draftId}`));
    const second = (await callback(3)) as Modal;
    const before = await snapshot();
    h.feed(
      modalSubmit(second.data.custom_id, {
        urgency: ["high"],
        workaround: ["none"],
        workaroundText: "",
        since: "",
        changed: "",
      }),
    );
    const refusal = JSON.stringify(await callback(4));
    expect(refusal).toContain("« critical » n’est pas une valeur possible");
    expect(await snapshot()).toBe(before);
  });
});

describe("Discord: a refused step comes back filled in", () => {
  it("GIVEN an over-long department THEN the reason is given, and 'Corriger' shows the step with every value typed", async () => {
    h.feed(chatInput("ticket", "new"));
    const customId = ((await callback(1)) as Modal).data.custom_id;
    const draftId = customId.split(":")[2]!;
    const long = "x".repeat(201);
    h.feed(modalSubmit(customId, { ...STEP_1, department: long }));
    const refusal = JSON.stringify(await callback(2));
    expect(refusal).toContain("Service / département fait 201 caractères ; 200 au plus");
    expect(refusal).toContain(`relais:form:next:${draftId}`);
    h.feed(button(`relais:form:next:${draftId}`));
    const again = (await callback(3)) as Modal;
    expect(again.type).toBe(9);
    expect(again.data.custom_id).toBe(customId);
    expect(shown(again)).toMatchObject({
      title: STEP_1.title,
      department: long,
      workstation: "PC-12",
      impact: "high",
    });
    expect((await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all")).total).toBe(0);
  });
});

describe("Discord: a refusal found after the deferral keeps what was typed", () => {
  it("GIVEN a priority change refused when it runs THEN the private answer has 'Rouvrir le formulaire', which reopens the form filled in, for its author only", async () => {
    h.feed(chatInput("ticket", "new", { title: "VPN coupé" }));
    await h.discord.waitFor(() => h.edits().length === 1, "created");
    h.feed(chatInput("ticket", "priority", { ref: "T-1" }));
    const form = (await callback(2)) as Modal;
    expect(form.type).toBe(9);
    const before = await snapshot();
    h.feed(modalSubmit(form.data.custom_id, { priority: ["P1"], reason: "" }));
    await h.discord.waitFor(() => h.edits().length === 2, "refusal");
    const refusal = h.edits()[1]!;
    expect(refusal).toContain("demande une raison objective");
    expect(refusal).toContain("Rouvrir le formulaire");
    const reopen = /relais:b:form_reopen:(\d+)/.exec(refusal)![0];
    expect(await snapshot()).toBe(before);
    h.feed(button(reopen, BOB));
    expect(JSON.stringify(await callback(4))).toContain("n’existe plus");
    h.feed(button(reopen));
    const again = (await callback(5)) as Modal;
    expect(again.type).toBe(9);
    expect(shown(again)).toEqual({ priority: "P1", reason: undefined });
    h.feed(modalSubmit(again.data.custom_id, { priority: ["P1"], reason: "40 utilisateurs bloqués" }));
    await h.discord.waitFor(() => h.edits().length === 3, "changed");
    expect((await h.r.relais.services.tickets.get(1)).priority).toBe("P1");
  });
});
