import { ComponentType, type ModalSubmitInteraction } from "discord.js";
import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { texts } from "../../../src/i18n/index.ts";
import type { Command } from "../../../src/kit/command.ts";
import { modalFor, submittedFields } from "../../../src/surfaces/discord/forms.ts";
import { registrationPayload } from "../../../src/surfaces/discord/registration.ts";
import { ZONE } from "../../support/fixtures.ts";

/** The requester on Discord: a user select in the ticket modal, a user option where a person is inline. */

const ticket = commands.find((c) => c.name === "ticket")!;
const create = ticket.subcommands.find((s) => s.name === "new")!;

describe("Discord: a person", () => {
  it("GIVEN the ticket form THEN its requester is a user select inside a label", () => {
    const modal = modalFor(texts("fr", ZONE), ticket, create, {
      id: 1,
      userId: "discord:1",
      command: "ticket",
      sub: "new",
      channel: "c",
      step: 0,
      values: {},
    });
    const labels = modal.components as unknown as {
      type: number;
      label: string;
      component: { type: number; custom_id: string; required?: boolean };
    }[];
    const requester = labels.find((l) => l.component.custom_id === "requester")!;
    expect(requester.type).toBe(ComponentType.Label);
    expect(requester.label).toBe("Demandeur (personne ou nom)");
    expect(requester.component.type).toBe(ComponentType.UserSelect);
    expect(requester.component.required).toBe(false);
  });

  it("GIVEN a user chosen in the modal THEN the pipeline reads the mention the kit parses as a person", () => {
    const fields = new Map<string, unknown>([
      ["requester", { type: ComponentType.UserSelect, customId: "requester", values: ["123456789012345678"] }],
      ["title", { type: ComponentType.TextInput, customId: "title", value: "Excel" }],
    ]);
    const i = { fields: { fields } } as unknown as ModalSubmitInteraction;
    expect(submittedFields(i)).toEqual({ requester: "<@123456789012345678>", title: "Excel" });
  });

  it("GIVEN a person as an inline argument THEN registration declares a user option, localised", () => {
    const notify: Command = {
      name: "notify",
      aliases: [],
      summary: "cmd.ticket",
      subcommands: [
        {
          name: "who",
          aliases: [],
          summary: "cmd.ticket.new",
          args: [{ id: "requester", label: "field.requesterPerson", type: { kind: "person" }, required: true }],
          run: async () => ({ blocks: [], ephemeral: true }),
        },
      ],
    };
    const [payload] = registrationPayload([notify]);
    const option = (payload!.options![0] as unknown as { options: Record<string, unknown>[] }).options[0]!;
    expect(option).toMatchObject({
      type: ApplicationCommandOptionType.User,
      name: "requester",
      required: true,
      description: "Requester (person or name)",
      description_localizations: { fr: "Demandeur (personne ou nom)" },
    });
  });
});
