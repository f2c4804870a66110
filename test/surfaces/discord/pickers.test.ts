import type { APIChannelSelectComponent, APIModalInteractionResponseCallbackData } from "discord-api-types/v10";
import { ChannelType, ComponentType } from "discord-api-types/v10";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import type { Command } from "../../../src/kit/command.ts";
import { registrationPayload } from "../../../src/surfaces/discord/registration.ts";
import { button, type ChosenChannels, chatInput, modalSubmit } from "../../support/discord-gateway.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

/** Issue 15 on Discord: channels and people picked (selects in modals, typed options), stored by id. */

let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness();
});
afterEach(() => h.close());

const A = "210000000000000001";
const B = "210000000000000002";

type Modal = APIModalInteractionResponseCallbackData;
const modals = () => h.callbacks().filter((c) => c.type === 9) as unknown as { data: Modal }[];
const component = (m: Modal, id: string) =>
  m.components.map((l) => (l as { component?: { custom_id: string } }).component).find((c) => c?.custom_id === id);

const STEP_1 = {
  ref: "",
  title: "Messagerie indisponible",
  services: "Exchange",
  impactText: "tout le siège",
  impact: ["high"],
};

/** Opens the declaration form and fills its first step; returns the second step's modal. */
async function secondStep(): Promise<Modal> {
  await h.deliver(chatInput("outage", "declare"));
  const first = modals()[0]!.data;
  await h.deliver(modalSubmit(first.custom_id, STEP_1));
  await h.deliver(button(`relais:form:next:${first.custom_id.split(":")[2]}`));
  return modals()[1]!.data;
}

async function submitChannels(m: Modal, channels: string | ChosenChannels) {
  await h.deliver(modalSubmit(m.custom_id, { urgency: ["high"], workaround: ["none"], workaroundText: "", channels }));
  await h.r.relais.store.unit.settled();
  await h.dispatcher.flush();
}

const texts = (channel: string) =>
  h.channelPosts(channel).map((p) => [p.content, ...(p.embeds ?? []).map((e) => e.description)].join(" "));

describe("Discord pickers (issue 15)", () => {
  it("GIVEN the declaration form THEN its channels are a channel select of text and announcement channels; the channels picked get the announcement, by id", async () => {
    const m = await secondStep();
    const select = component(m, "channels") as APIChannelSelectComponent;
    expect(select).toMatchObject({
      type: ComponentType.ChannelSelect,
      channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      min_values: 1,
      max_values: 25,
    });
    await submitChannels(m, { channels: [A, B] });
    for (const ch of [A, B]) expect(texts(ch).filter((t) => t.includes("Toutes nos excuses"))).toHaveLength(1);
    const [o] = await h.r.relais.services.outages.ongoing();
    expect(o!.channels).toEqual([
      { platform: "discord", channel: A },
      { platform: "discord", channel: B },
    ]);
    // The declarer reads "queued", with the channels as mentions (Discord shows their names).
    expect(h.edits().at(-1)).toContain(`Annonce en file d’envoi pour 2 canaux : <#${A}>, <#${B}>`);
  });

  it("GIVEN a #name typed for the channels (a text field sent in place of the select) THEN refused politely, in the person's language; nothing stored, nothing posted", async () => {
    const m = await secondStep();
    const before = h.discord.calls.filter((c) => /\/channels\/\d+\/messages$/.test(c.path)).length;
    await submitChannels(m, "#support");
    const refusal = JSON.stringify(h.callbacks().at(-1));
    expect(refusal).toContain("« #support » n’est pas un canal que je peux retrouver");
    expect(refusal).toContain("choisissez-le dans la liste");
    expect(await h.r.relais.services.outages.ongoing()).toEqual([]);
    expect(h.discord.calls.filter((c) => /\/channels\/\d+\/messages$/.test(c.path)).length).toBe(before);
  });

  it("GIVEN the registration THEN a person argument is a User option and a channel argument a Channel option, built (and validated) by discord.js", () => {
    type Opt = { name: string; type: number; channel_types?: number[]; options?: Opt[] };
    const owner = (registrationPayload(commands) as unknown as Opt[]).find((c) => c.name === "owner")!;
    const propose = owner.options!.find((o) => o.name === "propose")!;
    expect(propose.options!.find((o) => o.name === "user")!.type).toBe(6);
    // A command with a channel argument (none of Relais's takes one inline yet): a Channel option.
    const probe: Command = {
      name: "probe",
      aliases: [],
      summary: "cmd.outage",
      subcommands: [
        {
          name: "watch",
          aliases: [],
          summary: "cmd.outage.declare",
          args: [{ id: "channel", label: "field.channels", type: { kind: "channel" }, required: true }],
          run: async () => ({ blocks: [], ephemeral: true }),
        },
      ],
    };
    const [json] = registrationPayload([probe]) as unknown as Opt[];
    expect(json!.options![0]!.options![0]).toMatchObject({
      name: "channel",
      type: 7,
      channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
    });
  });

  it("GIVEN /owner propose with a user picked in its User option THEN the handover is proposed to that member, by id, named", async () => {
    const BOB = { userId: "300000000000000002", username: "bob" };
    await h.deliver(chatInput("ticket", "new", { title: "Imprimante HS au 2e" }));
    await h.deliver(chatInput("ticket", "take", { ref: "T-1" }));
    await h.deliver(chatInput("owner", "propose", { ref: "T-1", user: { users: [BOB] } }));
    const t = await h.r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ pendingOwnerId: "discord:300000000000000002", pendingOwnerName: "Bob" });
    expect(h.edits().at(-1)).toContain("Bob");
  });
});
