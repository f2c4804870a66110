import { readFileSync } from "node:fs";
import { REST } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commands } from "../../commands/index.ts";
import { parsePolicy } from "../../src/config/policy.ts";
import type { OutboxDispatcher } from "../../src/outbox/dispatcher.ts";
import { createDiscordSurface, type DiscordSurface } from "../../src/surfaces/discord/discord-app.ts";
import { DiscordSender } from "../../src/surfaces/discord/discord-sender.ts";
import { FakeDiscordApi } from "../support/discord-api.ts";
import { button, chatInput, feed, modalSubmit } from "../support/discord-gateway.ts";
import { paris, POLICY_PATH, startRelais, type TestRelais } from "../helpers.ts";

const ESC = "500000000000000001";
const MANAGER_ROLE = "600000000000000001";
let r: TestRelais;
let discord: FakeDiscordApi;
let surface: DiscordSurface;
let dispatcher: OutboxDispatcher;
beforeEach(async () => {
  discord = await new FakeDiscordApi().start();
  const raw = parse(readFileSync(POLICY_PATH, "utf8"));
  raw.escalation.channel = ESC;
  raw.managers.role = MANAGER_ROLE;
  r = await startRelais({ now: paris("2026-11-24T10:00"), policy: parsePolicy(raw) });
  surface = createDiscordSurface(r.relais, commands, {
    token: "t",
    applicationId: "400000000000000001",
    apiUrl: discord.api,
  });
  dispatcher = r.relais.dispatcher({
    discord: new DiscordSender(new REST({ api: discord.api, retries: 0 }).setToken("t")),
  });
});
afterEach(async () => {
  await surface.client.destroy();
  await discord.stop();
  await r.close();
});

const callbacks = () =>
  discord
    .of("POST", /^\/interactions\/\d+\/[^/]+\/callback$/)
    .map((c) => c.body as { type: number; data?: Record<string, unknown> });
const edits = () =>
  discord.of("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/).map((c) => JSON.stringify(c.body));
const MANAGER = { userId: "300000000000000009", username: "carol", roles: [MANAGER_ROLE] };
const BOB = { userId: "300000000000000002", username: "bob" };

async function nextModal(n: number) {
  await discord.waitFor(() => callbacks().filter((c) => c.type === 9).length === n, `modal ${n}`);
  return callbacks()
    .filter((c) => c.type === 9)
    .at(-1)!.data!;
}

describe("Discord: the escalation flow", () => {
  it("GIVEN escalate → 3W refusal → note → follow-up → ack → refused and accepted decisions → announcement THEN each step lands where it should", async () => {
    feed(surface.client, chatInput("ticket", "new", { title: "Facture en double" }));
    await discord.waitFor(() => edits().length === 1, "ticket");

    // The card's Escalate button opens the note's first step (two steps of at most five fields).
    feed(surface.client, button("relais:b:ticket_escalate:1"));
    const step1 = await nextModal(1);
    expect(step1.title).toBe("Escalade T-1 (1/3)");
    feed(
      surface.client,
      modalSubmit(step1.custom_id as string, {
        type: ["billing"],
        direction: ["functional"],
        targetTeam: "",
        why: "",
        request: "Annuler la facture",
      }),
    );
    await discord.waitFor(() => callbacks().length === 3, "step saved");
    const draftId = (step1.custom_id as string).split(":")[2];
    feed(surface.client, button(`relais:form:next:${draftId}`));
    const step2 = await nextModal(2);
    feed(
      surface.client,
      modalSubmit(step2.custom_id as string, {
        urgency: ["24h"],
        nextUpdate: "",
        context: "",
        facts: "Débité deux fois",
        evidence: "",
      }),
    );
    await discord.waitFor(() => callbacks().length === 5, "step 2 saved");
    feed(surface.client, button(`relais:form:next:${draftId}`));
    const step3 = await nextModal(3);
    feed(
      surface.client,
      modalSubmit(step3.custom_id as string, {
        actionsTaken: "",
        impact: "1 client",
        deadline: "",
        recommendation: "",
      }),
    );
    await discord.waitFor(() => edits().length === 2, "3W refusal");
    expect(edits()[1]).toContain("Note non envoyée");

    // The complete note, sent in one go from the command's inline reference.
    const complete = async () => {
      feed(surface.client, chatInput("escalate", "note", { ref: "T-1" }));
      const a = await nextModal(4);
      feed(
        surface.client,
        modalSubmit(a.custom_id as string, {
          type: ["billing"],
          direction: ["functional"],
          targetTeam: "Facturation N2",
          why: "Seule la facturation peut annuler",
          request: "Annuler la facture F-114",
        }),
      );
      await discord.waitFor(() => callbacks().length === 9, "saved");
      const id = (a.custom_id as string).split(":")[2];
      feed(surface.client, button(`relais:form:next:${id}`));
      const b = await nextModal(5);
      feed(
        surface.client,
        modalSubmit(b.custom_id as string, {
          urgency: ["24h"],
          nextUpdate: "16:00",
          context: "",
          facts: "Débité deux fois",
          evidence: "",
        }),
      );
      await discord.waitFor(() => callbacks().length === 11, "saved 2");
      feed(surface.client, button(`relais:form:next:${id}`));
      const c = await nextModal(6);
      feed(
        surface.client,
        modalSubmit(c.custom_id as string, { actionsTaken: "", impact: "1 client", deadline: "", recommendation: "" }),
      );
      await discord.waitFor(() => edits().length === 3, "sent");
    };
    await complete();
    expect(edits()[2]).toContain("E-1 envoyée");
    await dispatcher.flush();
    const note = discord.of("POST", new RegExp(`^/channels/${ESC}/messages$`))[0]!;
    expect(JSON.stringify(note.body)).toContain("Escalade - facturation");
    expect(JSON.stringify(note.body)).toContain("relais:b:escalation_decide:1");
    expect(note.body.allowed_mentions).toEqual({ parse: [] });

    // Silence for 24 h: the follow-up goes in the note's thread.
    r.clock.set(paris("2026-11-25T10:00"));
    await r.relais.scheduler.tick();
    await dispatcher.flush();
    const noteId = (await r.relais.store.outbox.sentMessageId("E-1:note"))!;
    expect(discord.of("POST", new RegExp(`^/channels/${ESC}/messages/${noteId}/threads$`)).length).toBeGreaterThan(0);
    expect(JSON.stringify(discord.of("POST", new RegExp(`^/channels/${noteId}/messages$`)).at(-1)!.body)).toContain(
      "Relance 1",
    );

    // Acknowledged by the manager (ETA form of one field).
    feed(surface.client, button("relais:b:escalation_ack:1", MANAGER));
    const ack = await nextModal(7);
    feed(surface.client, modalSubmit(ack.custom_id as string, { eta: "+2h" }, MANAGER));
    await discord.waitFor(() => edits().length === 4, "ack");

    // Bob has no manager role: refused before any form.
    feed(surface.client, button("relais:b:escalation_decide:1", BOB));
    await discord.waitFor(() => callbacks().at(-1)!.type === 4, "refusal");
    expect(JSON.stringify(callbacks().at(-1))).toContain("Seul un manager peut trancher E-1");

    // The manager decides.
    feed(surface.client, button("relais:b:escalation_decide:1", MANAGER));
    const decide = await nextModal(8);
    feed(
      surface.client,
      modalSubmit(
        decide.custom_id as string,
        { option: "Annuler la facture", rationale: "Double prélèvement prouvé", owner: "Facturation N2" },
        MANAGER,
      ),
    );
    await discord.waitFor(() => edits().length === 5, "decided");
    await dispatcher.flush();
    expect(
      discord
        .of("POST", new RegExp(`^/channels/${noteId}/messages$`))
        .some((c) => JSON.stringify(c.body).includes("Carol tranche E-1 : option Annuler la facture")),
    ).toBe(true);

    // The owner announces once, in the ticket's thread.
    feed(surface.client, chatInput("escalate", "announce", { ref: "E-1" }));
    await discord.waitFor(() => edits().length === 6, "announced");
    expect(edits()[5]).toContain("Décision : Annuler la facture");
    expect((await r.relais.services.tickets.timeline(1)).map((e) => e.kind)).toEqual([
      "created",
      "escalated",
      "escalation_follow_up",
      "escalation_acknowledged",
      "decided",
      "decision_announced",
    ]);
  });
});
