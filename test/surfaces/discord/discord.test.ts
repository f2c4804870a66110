import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { createDiscordSurface, type DiscordSurface } from "../../../src/surfaces/discord/discord-app.ts";
import { FakeDiscordApi } from "../../support/discord-api.ts";
import { button, chatInput, feed, modalSubmit } from "../../support/discord-gateway.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";
import { paris } from "../../support/fixtures.ts";

let r: TestRelais;
let discord: FakeDiscordApi;
let surface: DiscordSurface;
beforeEach(async () => {
  discord = await new FakeDiscordApi().start();
  r = await startRelais({ now: paris("2026-11-24T10:00") });
  surface = createDiscordSurface(r.relais, commands, {
    token: "test-token",
    applicationId: "400000000000000001",
    apiUrl: discord.api,
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
const channelPosts = (channel: string) =>
  discord.of("POST", new RegExp(`^/channels/${channel}/messages$`)).map(
    (c) =>
      c.body as {
        embeds?: { title?: string; description?: string }[];
        components?: unknown[];
        allowed_mentions?: unknown;
      },
  );

describe("Discord: /ticket", () => {
  it("GIVEN /ticket new with a title THEN it is deferred at once, the card goes in the channel with buttons, a thread is opened, and the acknowledgement is posted there", async () => {
    feed(surface.client, chatInput("ticket", "new", { title: "Imprimante bloquée au 2e étage" }));
    await discord.waitFor(() => edits().length === 1, "the edited reply");
    expect(callbacks()[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    const [card] = channelPosts("200000000000000001");
    expect(card!.embeds![0]!.title).toBe("T-1 · Imprimante bloquée au 2e étage");
    expect(JSON.stringify(card!.components)).toContain("relais:b:ticket_take:1");
    expect(card!.allowed_mentions).toEqual({ parse: [] });
    const thread = discord.of("POST", /^\/channels\/\d+\/messages\/\d+\/threads$/)[0]!;
    expect(thread.body.name).toBe("T-1 · Imprimante bloquée au 2e étage");
    const threadId = thread.path.split("/")[4]!;
    expect(JSON.stringify(channelPosts(threadId)[0])).toContain("T-1 ouvert");
    expect(edits()[0]).toContain("Première réponse au plus tard mar. 24 nov. 18:00");
    expect(await r.relais.store.threads.get(1, "discord")).toEqual({
      channel: "200000000000000001",
      messageId: threadId,
    });
  });

  it("GIVEN the take button THEN the card is edited in place and the take goes in the thread", async () => {
    feed(surface.client, chatInput("ticket", "new", { title: "VPN coupé" }));
    await discord.waitFor(() => edits().length === 1, "created");
    feed(surface.client, button("relais:b:ticket_take:1", { userId: "300000000000000002", username: "bob" }));
    await discord.waitFor(() => edits().length === 2, "taken");
    const threadId = (await r.relais.store.threads.get(1, "discord"))!.messageId;
    const edit = discord.of("PATCH", new RegExp(`^/channels/200000000000000001/messages/${threadId}$`))[0]!;
    expect(JSON.stringify(edit.body)).toContain("Bob");
    expect(JSON.stringify(channelPosts(threadId).at(-1))).toContain("Bob reprend le ticket (précédemment : Alice)");
  });

  it.each([
    [{ ref: "X-1" }, "show", "fr", "n’est pas une référence valable"],
    [{ ref: "T-77" }, "show", "fr", "Le ticket T-77 n’existe pas"],
    [{ ref: "T-77" }, "show", "en-US", "Ticket T-77 does not exist"],
  ])(
    "GIVEN bad input %j THEN a polite private error in the user's language, and nothing posted",
    async (options, sub, locale, words) => {
      feed(surface.client, chatInput("ticket", sub, options, { locale }));
      await discord.waitFor(
        () => callbacks().length === 1 && (callbacks()[0]!.type === 4 || edits().length === 1),
        "the answer",
      );
      const answer = JSON.stringify(callbacks()[0]!.type === 4 ? callbacks()[0] : edits()[0]);
      expect(answer).toContain(words);
      expect(channelPosts("200000000000000001")).toHaveLength(0);
    },
  );

  it("GIVEN @everyone in a title THEN no message allows mentions", async () => {
    feed(surface.client, chatInput("ticket", "new", { title: "@everyone @here panne <@&123>" }));
    await discord.waitFor(() => edits().length === 1, "created");
    const sent = discord.calls.filter((c) => c.method !== "GET" && /messages(\/@original|\/\d+)?$/.test(c.path));
    expect(sent.length).toBe(3); // the card, the acknowledgement in the thread, the private reply
    for (const c of sent) expect(c.body.allowed_mentions, `${c.method} ${c.path}`).toEqual({ parse: [] });
  });
});

describe("Discord: forms in steps of five", () => {
  it("GIVEN /ticket new without a title THEN the 14-field form comes in three modals, survives abandonment, and creates one ticket", async () => {
    feed(surface.client, chatInput("ticket", "new"));
    await discord.waitFor(() => callbacks().length === 1, "modal");
    const modal = callbacks()[0]!;
    expect(modal.type).toBe(9);
    expect(modal.data!.title).toBe("Nouveau ticket (1/3)");
    expect((modal.data!.components as unknown[]).length).toBe(5);
    const customId = modal.data!.custom_id as string;

    feed(
      surface.client,
      modalSubmit(customId, {
        title: "Serveur de fichiers indisponible",
        requester: "M. Leroy",
        department: "Logistique",
        workstation: "PC-12",
        impact: ["high"],
      }),
    );
    await discord.waitFor(() => callbacks().length === 2, "step saved");
    expect(JSON.stringify(callbacks()[1])).toContain("Étape 1/3 enregistrée");
    const draftId = customId.split(":")[2]!;
    expect(JSON.stringify(callbacks()[1])).toContain(`relais:form:next:${draftId}`);

    // Abandoned here; later the same command offers to continue, with step 1 kept.
    feed(surface.client, chatInput("ticket", "new"));
    await discord.waitFor(() => callbacks().length === 3, "resume offer");
    expect(JSON.stringify(callbacks()[2])).toContain("formulaire en cours (1/3");
    feed(surface.client, button(`relais:form:next:${draftId}`));
    await discord.waitFor(() => callbacks().length === 4, "second modal");
    const second = callbacks()[3]!;
    expect(second.data!.title).toBe("Nouveau ticket (2/3)");
    feed(
      surface.client,
      modalSubmit(second.data!.custom_id as string, {
        urgency: ["high"],
        workaround: ["none"],
        workaroundText: "",
        since: "ce matin",
        changed: "",
      }),
    );
    await discord.waitFor(() => callbacks().length === 5, "step 2 saved");
    feed(surface.client, button(`relais:form:next:${draftId}`));
    await discord.waitFor(() => callbacks().length === 6, "third modal");
    const third = callbacks()[5]!;
    expect((third.data!.components as unknown[]).length).toBe(4);
    // A bad value is explained and the step can be fixed without losing the others.
    feed(
      surface.client,
      modalSubmit(third.data!.custom_id as string, {
        reproducible: "oui",
        scope: "généralisé",
        errorMessage: "",
        profile: ["martian"],
      }),
    );
    await discord.waitFor(() => callbacks().length === 7, "refusal");
    expect(JSON.stringify(callbacks()[6])).toContain("n’est pas une valeur possible");
    feed(
      surface.client,
      modalSubmit(third.data!.custom_id as string, {
        reproducible: "oui",
        scope: "généralisé",
        errorMessage: "",
        profile: ["novice"],
      }),
    );
    await discord.waitFor(() => edits().length === 1, "created");
    const t = await r.relais.services.tickets.get(1);
    expect(t).toMatchObject({
      title: "Serveur de fichiers indisponible",
      requester: "M. Leroy",
      priority: "P1",
      since: "ce matin",
      profile: "novice",
    });
    // The same last step submitted again does nothing more.
    feed(
      surface.client,
      modalSubmit(third.data!.custom_id as string, {
        reproducible: "oui",
        scope: "généralisé",
        errorMessage: "",
        profile: ["novice"],
      }),
    );
    await discord.waitFor(() => callbacks().length === 9, "second submission answered");
    expect(JSON.stringify(callbacks()[8])).toContain("n’existe plus");
    expect((await r.relais.services.tickets.list({ id: "x", name: "x" }, "all")).total).toBe(1);
  });
});

describe("Discord: errors people will hit", () => {
  it("GIVEN missing permissions in the channel THEN the person is told, with the ticket reference", async () => {
    discord.fail(/^POST \/channels\/200000000000000001\/messages$/, {
      status: 403,
      body: { message: "Missing Permissions", code: 50013 },
    });
    feed(surface.client, chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    await discord.waitFor(() => edits().length === 1, "answer");
    expect(edits()[0]).toContain("Il me manque des permissions");
    expect(edits()[0]).toContain("T-1");
  });

  it("GIVEN an unknown channel THEN the person is told", async () => {
    discord.fail(/^POST \/channels\/200000000000000001\/messages$/, {
      status: 404,
      body: { message: "Unknown Channel", code: 10003 },
    });
    feed(surface.client, chatInput("ticket", "new", { title: "Imprimante bloquée" }));
    await discord.waitFor(() => edits().length === 1, "answer");
    expect(edits()[0]).toContain("Je ne trouve pas ce canal");
  });

  it("GIVEN an expired interaction THEN nothing crashes and nothing else is sent", async () => {
    discord.fail(/^POST \/interactions\//, { status: 404, body: { message: "Unknown interaction", code: 10062 } });
    feed(surface.client, chatInput("ticket", "show", { ref: "T-5" }));
    await discord.waitFor((c) => c.length === 1, "the refused callback");
    // Nothing else should follow: give the handler time to (wrongly) try again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discord.calls.filter((c) => c.method !== "GET").map((c) => c.path)).toEqual([
      expect.stringMatching(/^\/interactions\//),
    ]);
  });
});
