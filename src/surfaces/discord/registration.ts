import { ChannelType, SlashCommandBuilder, type SlashCommandSubcommandBuilder } from "discord.js";
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord-api-types/v10";
import { t } from "../../i18n/index.ts";
import { clip } from "../../text.ts";
import type { Command, Param, Subcommand } from "../../kit/command.ts";
import { discordName } from "./names.ts";

/**
 * The slash commands of `commands/` as Discord registers them: subcommands with typed options,
 * English names (canonical) with French localisations of names and descriptions. The builders
 * validate Discord's rules (lowercase names ≤ 32, descriptions ≤ 100, required options first).
 */
export function registrationPayload(commands: readonly Command[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => {
    const builder = new SlashCommandBuilder()
      .setName(command.name)
      .setDescription(describe("en", command.summary))
      .setDescriptionLocalizations({ fr: describe("fr", command.summary) });
    const fr = localName(command.name, command.aliases);
    if (fr) builder.setNameLocalizations({ fr });
    for (const sub of command.subcommands) builder.addSubcommand((s) => subcommand(s, sub));
    return builder.toJSON();
  });
}

/** The options a subcommand shows on Discord: its inline arguments; a form fills the rest. */
export function discordOptions(sub: Subcommand): Param[] {
  const hasForm = sub.formTitle !== undefined;
  // With a form, only the reference is required: what is missing opens the modal.
  const options = sub.args.map((p) => ({ ...p, required: p.required && (!hasForm || p.type.kind === "ref") }));
  return [...options.filter((p) => p.required), ...options.filter((p) => !p.required)];
}

function subcommand(s: SlashCommandSubcommandBuilder, sub: Subcommand): SlashCommandSubcommandBuilder {
  s.setName(sub.name)
    .setDescription(describe("en", sub.summary))
    .setDescriptionLocalizations({ fr: describe("fr", sub.summary) });
  const fr = localName(sub.name, sub.aliases);
  if (fr) s.setNameLocalizations({ fr });
  for (const p of discordOptions(sub)) {
    if (p.type.kind === "person") {
      // A person given inline is a user option: Discord's own picker, its id comes back as a mention.
      s.addUserOption((o) =>
        o
          .setName(discordName(p.id))
          .setDescription(describe("en", p.label))
          .setDescriptionLocalizations({ fr: describe("fr", p.label) })
          .setRequired(p.required),
      );
      continue;
    }
    if (p.type.kind === "channel") {
      // A channel given inline is a channel option (one channel: Discord's options take one each).
      s.addChannelOption((o) =>
        o
          .setName(discordName(p.id))
          .setDescription(describe("en", p.label))
          .setDescriptionLocalizations({ fr: describe("fr", p.label) })
          .setRequired(p.required)
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      );
      continue;
    }
    s.addStringOption((o) => {
      o.setName(discordName(p.id))
        .setDescription(describe("en", p.label))
        .setDescriptionLocalizations({ fr: describe("fr", p.label) })
        .setRequired(p.required);
      if (p.type.kind === "choice" && p.type.values.length <= 25) {
        const set = p.type.set;
        o.addChoices(
          ...p.type.values.map((v) => ({
            name: clip(t("en", `choice.${set}.${v}` as never), 100),
            name_localizations: { fr: clip(t("fr", `choice.${set}.${v}` as never), 100) },
            value: v,
          })),
        );
      }
      if (p.type.kind === "text") o.setMaxLength(p.id === "title" ? 150 : 1000);
      return o;
    });
  }
  return s;
}

function describe(lang: "fr" | "en", key: Parameters<typeof t>[1]): string {
  return clip(t(lang, key), 100);
}

/** The first French alias that Discord accepts as a name (lowercase, no accents needed). */
function localName(name: string, aliases: readonly string[]): string | undefined {
  const fr = aliases.find((a) => /^[-_\p{Ll}\p{N}]{1,32}$/u.test(a) && a !== name);
  return fr;
}
