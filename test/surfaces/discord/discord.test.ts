import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { button, chatInput, modalSubmit } from "../../support/discord-gateway.ts";
import { dmChannelOf } from "../../support/discord-api.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

describe("Discord: /ticket", () => {
  it("GIVEN /ticket new with a title THEN it is deferred at once, the card goes in the channel with buttons, a thread is opened, and the acknowledgement is posted there", async () => {
    h.feed(chatInput("ticket", "new", { title: "Imprimante bloquée au 2e étage" }));
    await h.discord.waitFor(() => h.edits().length === 1, "the edited reply");
    // The card and the acknowledgement are recorded, then sent by the outbox (the command pokes it).
    await h.dispatcher.flush();
    expect(h.callbacks()[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    const [card] = h.channelPosts(CHANNEL);
    expect(card!.embeds![0]!.title).toBe("T-1 · Imprimante bloquée au 2e étage");
    expect(JSON.stringify(card!.components)).toContain("relais:b:ticket_take:1");
    expect(card!.allowed_mentions).toEqual({ parse: [] });
    const thread = h.discord.of("POST", /^\/channels\/\d+\/messages\/\d+\/threads$/)[0]!;
    expect(thread.body.name).toBe("T-1 · Imprimante bloquée au 2e étage");
    const threadId = thread.path.split("/")[4]!;
    expect(JSON.stringify(h.channelPosts(threadId)[0])).toContain("T-1 ouvert");
    expect(h.edits()[0]).toContain("Première réponse au plus tard 18:00 (heure de Paris)");
    expect(await h.r.relais.store.threads.get(1, "discord")).toEqual({
      channel: CHANNEL,
      messageId: threadId,
    });
  });

  it("GIVEN the take button THEN the card is edited in place and the take goes in the thread; someone else's click is a handover request", async () => {
    h.feed(chatInput("ticket", "new", { title: "VPN coupé" }, { userId: "300000000000000002", username: "bob" }));
    await h.discord.waitFor(() => h.edits().length === 1, "created");
    await h.dispatcher.flush();
    const threadId = (await h.r.relais.store.threads.get(1, "discord"))!.messageId!;
    // Alice's click on Bob's ticket: a request to Bob, privately; the card and the thread are unchanged.
    h.feed(button("relais:b:ticket_take:1"));
    await h.discord.waitFor(() => h.edits().length === 2, "requested");
    await h.dispatcher.flush();
    expect(h.edits()[1]).toContain("votre demande de reprise lui a été envoyée");
    expect(h.discord.of("PATCH", new RegExp(`^/channels/${CHANNEL}/messages/${threadId}$`))).toHaveLength(0);
    expect((await h.r.relais.services.tickets.get(1)).ownerName).toBe("Bob");
    // Bob's own click (his first response): the card is edited in place and the take goes in the thread.
    h.feed(button("relais:b:ticket_take:1", { userId: "300000000000000002", username: "bob" }));
    await h.discord.waitFor(() => h.edits().length === 3, "taken");
    await h.dispatcher.flush();
    const edit = h.discord.of("PATCH", new RegExp(`^/channels/${CHANNEL}/messages/${threadId}$`))[0]!;
    expect(JSON.stringify(edit.body)).toContain("pris en charge");
    expect(JSON.stringify(h.channelPosts(threadId).at(-1))).toContain("T-1 : Bob en est maintenant responsable");
  });

  it.each([
    [{ ref: "X-1" }, "show", "fr", "n’est pas une référence valable"],
    [{ ref: "T-77" }, "show", "fr", "Le ticket T-77 n’existe pas"],
    [{ ref: "T-77" }, "show", "en-US", "Ticket T-77 does not exist"],
  ])(
    "GIVEN bad input %j THEN a polite private error in the user's language, and nothing posted",
    async (options, sub, locale, words) => {
      h.feed(chatInput("ticket", sub, options, { locale }));
      await h.discord.waitFor(
        () => h.callbacks().length === 1 && (h.callbacks()[0]!.type === 4 || h.edits().length === 1),
        "the answer",
      );
      const answer = JSON.stringify(h.callbacks()[0]!.type === 4 ? h.callbacks()[0] : h.edits()[0]);
      expect(answer).toContain(words);
      expect(h.channelPosts(CHANNEL)).toHaveLength(0);
    },
  );

  it("GIVEN @everyone in a title THEN no message allows mentions", async () => {
    h.feed(chatInput("ticket", "new", { title: "@everyone @here panne <@&123>" }));
    await h.discord.waitFor(() => h.edits().length === 1, "created");
    await h.dispatcher.flush();
    const sent = h.discord.calls.filter((c) => c.method !== "GET" && /messages(\/@original|\/\d+)?$/.test(c.path));
    expect(sent.length).toBe(3); // the card, the acknowledgement in the thread, the private reply
    for (const c of sent) expect(c.body.allowed_mentions, `${c.method} ${c.path}`).toEqual({ parse: [] });
  });
});

describe("Discord: forms in steps of five", () => {
  it("GIVEN /ticket new without a title THEN the 14-field form comes in three modals, survives abandonment, and creates one ticket", async () => {
    h.feed(chatInput("ticket", "new"));
    await h.discord.waitFor(() => h.callbacks().length === 1, "modal");
    const modal = h.callbacks()[0]!;
    expect(modal.type).toBe(9);
    expect(modal.data!.title).toBe("Nouveau ticket (1/3)");
    expect((modal.data!.components as unknown[]).length).toBe(5);
    const customId = modal.data!.custom_id as string;

    h.feed(
      modalSubmit(customId, {
        title: "Serveur de fichiers indisponible",
        requester: "M. Leroy",
        department: "Logistique",
        workstation: "PC-12",
        impact: ["high"],
      }),
    );
    await h.discord.waitFor(() => h.callbacks().length === 2, "step saved");
    expect(JSON.stringify(h.callbacks()[1])).toContain("Étape 1/3 enregistrée");
    const draftId = customId.split(":")[2]!;
    expect(JSON.stringify(h.callbacks()[1])).toContain(`relais:form:next:${draftId}`);

    // Abandoned here; later the same command offers to continue, with step 1 kept.
    h.feed(chatInput("ticket", "new"));
    await h.discord.waitFor(() => h.callbacks().length === 3, "resume offer");
    expect(JSON.stringify(h.callbacks()[2])).toContain("formulaire en cours (1/3");
    h.feed(button(`relais:form:next:${draftId}`));
    await h.discord.waitFor(() => h.callbacks().length === 4, "second modal");
    const second = h.callbacks()[3]!;
    expect(second.data!.title).toBe("Nouveau ticket (2/3)");
    h.feed(
      modalSubmit(second.data!.custom_id as string, {
        urgency: ["high"],
        workaround: ["none"],
        workaroundText: "",
        since: "ce matin",
        changed: "",
      }),
    );
    await h.discord.waitFor(() => h.callbacks().length === 5, "step 2 saved");
    h.feed(button(`relais:form:next:${draftId}`));
    await h.discord.waitFor(() => h.callbacks().length === 6, "third modal");
    const third = h.callbacks()[5]!;
    expect((third.data!.components as unknown[]).length).toBe(4);
    const lastStep = (profile: string) =>
      modalSubmit(third.data!.custom_id as string, {
        reproducible: "oui",
        scope: "généralisé",
        errorMessage: "",
        profile: [profile],
      });
    // A bad value is explained and the step can be fixed without losing the others.
    h.feed(lastStep("martian"));
    await h.discord.waitFor(() => h.callbacks().length === 7, "refusal");
    expect(JSON.stringify(h.callbacks()[6])).toContain("n’est pas une valeur possible");
    h.feed(lastStep("novice"));
    await h.discord.waitFor(() => h.edits().length === 1, "created");
    const t = await h.r.relais.services.tickets.get(1);
    expect(t).toMatchObject({
      title: "Serveur de fichiers indisponible",
      requester: "M. Leroy",
      priority: "P1",
      since: "ce matin",
      profile: "novice",
    });
    // The same last step submitted again does nothing more.
    h.feed(lastStep("novice"));
    await h.discord.waitFor(() => h.callbacks().length === 9, "second submission answered");
    expect(JSON.stringify(h.callbacks()[8])).toContain("n’existe plus");
    expect((await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all")).total).toBe(1);
  });
});

describe("Discord: errors people will hit", () => {
  // The card and its reply go through the outbox: a refusal for good is told privately to the
  // ticket's owner (here the person who typed the command), with what to do and what it said.
  const toldToAlice = () => h.channelPosts(dmChannelOf("300000000000000001")).map((p) => JSON.stringify(p));

  it("GIVEN missing permissions in the channel THEN the person is told, with the ticket reference", async () => {
    h.discord.fail(new RegExp(`^POST /channels/${CHANNEL}/messages$`), {
      status: 403,
      body: { message: "Missing Permissions", code: 50013 },
    });
    h.feed(chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    await h.discord.waitFor(() => toldToAlice().length === 2, "the card's and the reply's refusals, told");
    const [card, said] = toldToAlice();
    expect(card).toContain("50013");
    expect(card).toContain("demandez à un administrateur");
    expect(said).toContain("T-1 ouvert : « Imprimante bloquée »");
  });

  it("GIVEN an unknown channel THEN the person is told", async () => {
    h.discord.fail(new RegExp(`^POST /channels/${CHANNEL}/messages$`), {
      status: 404,
      body: { message: "Unknown Channel", code: 10003 },
    });
    h.feed(chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    await h.discord.waitFor(() => toldToAlice().length === 2, "told");
    expect(toldToAlice()[0]).toContain("Invitez Relais dans ce canal");
    expect(toldToAlice()[1]).toContain("T-1");
  });

  it("GIVEN an expired interaction THEN nothing crashes and nothing else is sent", async () => {
    h.discord.fail(/^POST \/interactions\//, { status: 404, body: { message: "Unknown interaction", code: 10062 } });
    h.feed(chatInput("ticket", "show", { ref: "T-5" }));
    await h.discord.waitFor((c) => c.length === 1, "the refused callback");
    // Nothing else should follow: give the handler time to (wrongly) try again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.discord.calls.filter((c) => c.method !== "GET").map((c) => c.path)).toEqual([
      expect.stringMatching(/^\/interactions\//),
    ]);
  });
});
