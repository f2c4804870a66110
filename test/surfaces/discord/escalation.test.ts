import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { button, chatInput, modalSubmit } from "../../support/discord-gateway.ts";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

const ESC = "500000000000000001";
const MANAGER_ROLE = "600000000000000001";
let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness({ policy: withEscalation(ESC, { role: MANAGER_ROLE }) });
});
afterEach(() => h.close());

const MANAGER = { userId: "300000000000000009", username: "carol", roles: [MANAGER_ROLE] };
const BOB = { userId: "300000000000000002", username: "bob" };

async function nextModal(n: number) {
  await h.discord.waitFor(() => h.callbacks().filter((c) => c.type === 9).length === n, `modal ${n}`);
  return h
    .callbacks()
    .filter((c) => c.type === 9)
    .at(-1)!.data!;
}

describe("Discord: the escalation flow", () => {
  it("GIVEN escalate → 3W refusal → note → follow-up → ack → refused and accepted decisions → announcement THEN each step lands where it should", async () => {
    h.feed(chatInput("ticket", "new", { title: "Facture en double" }));
    await h.discord.waitFor(() => h.edits().length === 1, "ticket");

    // The card's Escalate button opens the note's first step (two steps of at most five fields).
    h.feed(button("relais:b:ticket_escalate:1"));
    const step1 = await nextModal(1);
    expect(step1.title).toBe("Escalade T-1 (1/3)");
    h.feed(
      modalSubmit(step1.custom_id as string, {
        type: ["billing"],
        direction: ["functional"],
        targetTeam: "",
        why: "",
        request: "Annuler la facture",
      }),
    );
    await h.discord.waitFor(() => h.callbacks().length === 3, "step saved");
    const draftId = (step1.custom_id as string).split(":")[2];
    h.feed(button(`relais:form:next:${draftId}`));
    const step2 = await nextModal(2);
    h.feed(
      modalSubmit(step2.custom_id as string, {
        urgency: ["24h"],
        nextUpdate: "",
        context: "",
        facts: "Débité deux fois",
        evidence: "",
      }),
    );
    await h.discord.waitFor(() => h.callbacks().length === 5, "step 2 saved");
    h.feed(button(`relais:form:next:${draftId}`));
    const step3 = await nextModal(3);
    h.feed(
      modalSubmit(step3.custom_id as string, {
        actionsTaken: "",
        impact: "1 client",
        deadline: "",
        recommendation: "",
      }),
    );
    await h.discord.waitFor(() => h.edits().length === 2, "3W refusal");
    expect(h.edits()[1]).toContain("Note non envoyée");

    // The complete note, sent in one go from the command's inline reference.
    const complete = async () => {
      h.feed(chatInput("escalate", "note", { ref: "T-1" }));
      const a = await nextModal(4);
      h.feed(
        modalSubmit(a.custom_id as string, {
          type: ["billing"],
          direction: ["functional"],
          targetTeam: "Facturation N2",
          why: "Seule la facturation peut annuler",
          request: "Annuler la facture F-114",
        }),
      );
      await h.discord.waitFor(() => h.callbacks().length === 9, "saved");
      const id = (a.custom_id as string).split(":")[2];
      h.feed(button(`relais:form:next:${id}`));
      const b = await nextModal(5);
      h.feed(
        modalSubmit(b.custom_id as string, {
          urgency: ["24h"],
          nextUpdate: "16:00",
          context: "",
          facts: "Débité deux fois",
          evidence: "",
        }),
      );
      await h.discord.waitFor(() => h.callbacks().length === 11, "saved 2");
      h.feed(button(`relais:form:next:${id}`));
      const c = await nextModal(6);
      h.feed(
        modalSubmit(c.custom_id as string, { actionsTaken: "", impact: "1 client", deadline: "", recommendation: "" }),
      );
      await h.discord.waitFor(() => h.edits().length === 3, "sent");
    };
    await complete();
    expect(h.edits()[2]).toContain("E-1 envoyée");
    await h.dispatcher.flush();
    const note = h.channelPosts(ESC)[0]!;
    expect(JSON.stringify(note)).toContain("Escalade - facturation");
    expect(JSON.stringify(note)).toContain("relais:b:escalation_decide:1");
    expect(note.allowed_mentions).toEqual({ parse: [] });

    // Silence for 24 h: the follow-up goes in the note's thread.
    h.r.clock.set(paris("2026-11-25T10:00"));
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    const noteId = (await h.r.relais.store.outbox.sentMessageId("E-1:note"))!;
    expect(h.discord.of("POST", new RegExp(`^/channels/${ESC}/messages/${noteId}/threads$`)).length).toBeGreaterThan(0);
    expect(JSON.stringify(h.channelPosts(noteId).at(-1))).toContain("Relance 1");

    // Acknowledged by the manager (ETA form of one field).
    h.feed(button("relais:b:escalation_ack:1", MANAGER));
    const ack = await nextModal(7);
    h.feed(modalSubmit(ack.custom_id as string, { eta: "+2h" }, MANAGER));
    await h.discord.waitFor(() => h.edits().length === 4, "ack");

    // Bob has no manager role: refused before any form.
    h.feed(button("relais:b:escalation_decide:1", BOB));
    await h.discord.waitFor(() => h.callbacks().at(-1)!.type === 4, "refusal");
    expect(JSON.stringify(h.callbacks().at(-1))).toContain("Seul un manager peut trancher E-1");

    // The manager decides.
    h.feed(button("relais:b:escalation_decide:1", MANAGER));
    const decide = await nextModal(8);
    h.feed(
      modalSubmit(
        decide.custom_id as string,
        { option: "Annuler la facture", rationale: "Double prélèvement prouvé", owner: "Facturation N2" },
        MANAGER,
      ),
    );
    await h.discord.waitFor(() => h.edits().length === 5, "decided");
    await h.dispatcher.flush();
    expect(
      h.channelPosts(noteId).some((p) => JSON.stringify(p).includes("Carol tranche E-1 : option Annuler la facture")),
    ).toBe(true);

    // The owner announces once, in the ticket's thread.
    h.feed(chatInput("escalate", "announce", { ref: "E-1" }));
    await h.discord.waitFor(() => h.edits().length === 6, "announced");
    expect(h.edits()[5]).toContain("Décision : Annuler la facture");
    expect((await h.r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual([
      "created",
      "escalated",
      "escalation_follow_up",
      "escalation_acknowledged",
      "decided",
      "decision_announced",
    ]);
  });
});
