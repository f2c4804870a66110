import { afterEach, describe, expect, it } from "vitest";
import { escalationChannel, PolicyError, parsePolicy } from "../../src/config/policy.ts";
import type { OutboxDispatcher } from "../../src/outbox/dispatcher.ts";
import type { Actor } from "../../src/timeline/events.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { BILLING_NOTE, rawPolicy, variant } from "../support/fixtures.ts";
import { RecordingSender } from "../support/recording-sender.ts";

/** Issue 15: the escalation channel per platform; the note goes to the channel of the platform it came from. */

const SLACK_ESC = "C0ESCALADE";
const DISCORD_ESC = "210000000000000009";
const raw = rawPolicy();
const escalation = (channel: unknown) => ({ escalation: { ...(raw.escalation as object), channel } });

let r: TestRelais | undefined;
let dispatcher: OutboxDispatcher | undefined;
afterEach(async () => {
  await dispatcher?.stop();
  await r?.close();
});

/** Refusal of a policy, as the start prints it. */
function refusal(channel: unknown): string {
  try {
    parsePolicy(rawPolicy(escalation(channel)), "policy.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("the escalation channel, per platform", () => {
  it("GIVEN a name where an id is needed THEN the policy is refused, naming the field", () => {
    expect(refusal({ slack: SLACK_ESC, discord: "escalades" })).toContain(
      "escalation.channel.discord: expected a Discord channel id (17 to 20 digits), not its name",
    );
    expect(refusal({ slack: "#escalades" })).toContain("escalation.channel.slack: expected a Slack channel id");
    expect(refusal({})).toContain("escalation.channel");
    expect(refusal({ teams: "x" })).toContain("escalation.channel");
  });

  it("GIVEN one plain string THEN it serves the platforms it fits: a name never goes to Discord", () => {
    const plain = variant(escalation("escalades"));
    expect(["slack", "discord", "shell"].map((p) => escalationChannel(plain, p))).toEqual([
      "escalades",
      undefined,
      "escalades",
    ]);
    expect(escalationChannel(variant(escalation(DISCORD_ESC)), "discord")).toBe(DISCORD_ESC);
    const split = variant(escalation({ slack: SLACK_ESC, discord: DISCORD_ESC, shell: "escalades" }));
    expect(["slack", "discord", "shell"].map((p) => escalationChannel(split, p))).toEqual([
      SLACK_ESC,
      DISCORD_ESC,
      "escalades",
    ]);
  });

  async function start(channel: unknown) {
    r = await startRelais({ policy: variant(escalation(channel)) });
    const out = { slack: new RecordingSender(), discord: new RecordingSender(), shell: new RecordingSender() };
    dispatcher = r.relais.dispatcher(out);
    return out;
  }

  /** A ticket opened by `who`, then escalated by them (its owner). */
  async function escalateAs(who: Actor, n: number) {
    await r!.say(`/ticket Facture en double ${n}`, { actor: who });
    await r!.say(`/ticket take T-${n}`, { actor: who });
    return r!.say(`/escalate note T-${n}`, { actor: who, form: BILLING_NOTE });
  }

  it("GIVEN a channel per platform THEN each note goes to the escalation channel of the platform it came from", async () => {
    const out = await start({ slack: SLACK_ESC, discord: DISCORD_ESC, shell: "escalades" });
    const people: [Actor, keyof typeof out, string][] = [
      [{ id: "slack:U0ALICE", name: "Alice" }, "slack", SLACK_ESC],
      [{ id: "discord:300000000000000001", name: "Bob" }, "discord", DISCORD_ESC],
      [{ id: "shell:carol", name: "Carol" }, "shell", "escalades"],
    ];
    for (const [i, [who, platform, channel]] of people.entries()) {
      const sent = await escalateAs(who, i + 1);
      expect(sent.error).toBeUndefined();
      await dispatcher!.flush();
      expect(out[platform].to(channel).filter((t) => t.includes(`Ticket T-${i + 1}`))).toHaveLength(1);
    }
    const escalated = out.slack.sent
      .concat(out.discord.sent, out.shell.sent)
      .filter((s) => s.text.includes("Escalade -"));
    expect(escalated.map((s) => s.channel)).toEqual([SLACK_ESC, DISCORD_ESC, "escalades"]);
  });

  it("GIVEN a plain name and a note from Discord THEN refused before the form, politely, in the person's language; nothing sent", async () => {
    const out = await start("escalades");
    const bob: Actor = { id: "discord:300000000000000001", name: "Bob" };
    await r!.say("/ticket Facture en double", { actor: bob });
    await r!.say("/ticket take T-1", { actor: bob });
    const fr = await r!.say("/escalate note T-1", { actor: bob, form: BILLING_NOTE });
    expect(fr.error).toBe("no_escalation_channel");
    expect(JSON.stringify(fr.blocks)).toContain("Relais n’a pas de canal d’escalade sur discord");
    const en = await r!.say("/escalate note T-1", { actor: bob, form: BILLING_NOTE, lang: "en" });
    expect(JSON.stringify(en.blocks)).toContain("set escalation.channel.discord in the policy");
    await dispatcher!.flush();
    expect(out.discord.sent.filter((s) => s.text.includes("Escalade -"))).toEqual([]);
    expect((await r!.relais.services.tickets.timeline(1)).map((e) => e.kind)).not.toContain("escalated");
  });
});
