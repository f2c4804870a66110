import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { button, type ChosenUsers, chatInput, modalSubmit, type Who } from "../../support/discord-gateway.ts";
import { dmChannelOf } from "../../support/discord-api.ts";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { CHANNEL, type DiscordHarness, startDiscordHarness } from "./harness.ts";

/**
 * Issue 12 on Discord: one bad morning played end to end through interaction payloads as Discord
 * sends them, asserting on what the fake Discord REST recorded (PRODUCT.md "One story").
 */

const COMPTA = "200000000000000002";
const ESC = "500000000000000001";
const MANAGER_ROLE = "600000000000000001";

const ALICE: Who = { userId: "300000000000000001", username: "alice" };
const BOB: Who = { userId: "300000000000000002", username: "bob" };
const ANA: Who = { userId: "300000000000000003", username: "ana" };
const DAN: Who = { userId: "300000000000000004", username: "dan" };
const CAROL: Who = { userId: "300000000000000009", username: "carol", roles: [MANAGER_ROLE] };
/** The DM channel the fake Discord opens for a user (POST /users/@me/channels). */
const dm = (who: Who) => dmChannelOf(who.userId!);

let h: DiscordHarness;
beforeEach(async () => {
  h = await startDiscordHarness({ policy: withEscalation(ESC, { role: MANAGER_ROLE }) });
});
afterEach(() => h.close());

/** Every message the bot posted, stamped with the injected time at which it went out. */
interface Stamped {
  at: string;
  channel: string;
  text: string;
  allowedMentions: unknown;
}
let seen = 0;
const log: Stamped[] = [];

function textOf(body: Record<string, unknown>): string {
  const embeds = (body.embeds ?? []) as {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
  }[];
  const parts = [body.content as string | undefined];
  for (const e of embeds) parts.push(e.title, e.description, ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`));
  return parts.filter(Boolean).join("\n");
}

/** Stamps the posts the fake Discord received since the last call with the clock's time. */
function stamp(): void {
  const at = h.r.clock.now().setZone("Europe/Paris").toFormat("HH:mm");
  for (const c of h.discord.calls.slice(seen)) {
    const m = /^\/channels\/(\d+)\/messages$/.exec(c.path);
    if (c.method === "POST" && m)
      log.push({ at, channel: m[1]!, text: textOf(c.body), allowedMentions: c.body.allowed_mentions });
  }
  seen = h.discord.calls.length;
}

async function at(iso: string): Promise<void> {
  h.r.clock.set(paris(iso));
  await h.r.relais.scheduler.tick();
  await h.dispatcher.flush();
  stamp();
}

async function settle(): Promise<void> {
  await h.dispatcher.flush();
  stamp();
}

const modals = () => h.callbacks().filter((c) => c.type === 9);
async function nextModal(): Promise<Record<string, unknown>> {
  const n = modals().length;
  await h.discord.waitFor(() => modals().length === n + 1, `modal ${n + 1}`);
  return modals().at(-1)!.data!;
}
/** Waits for the private answer (an edit of the deferred reply, or an immediate reply). */
async function answered(n: number): Promise<string> {
  await h.discord.waitFor(() => h.edits().length === n, `answer ${n}`);
  return h.edits()[n - 1]!;
}
let answers = 0;
async function run(payload: unknown): Promise<string> {
  h.feed(payload);
  const a = await answered(++answers);
  await settle();
  return a;
}
/** Feeds a modal step and waits for its "Continue" reply; returns the next modal after clicking it. */
async function step(
  customId: string,
  fields: Record<string, string | string[] | ChosenUsers>,
  who: Who,
): Promise<Record<string, unknown>> {
  const n = h.callbacks().length;
  h.feed(modalSubmit(customId, fields, who));
  await h.discord.waitFor(() => h.callbacks().length === n + 1, "step saved");
  const draft = customId.split(":")[2];
  h.feed(button(`relais:form:next:${draft}`, who));
  return nextModal();
}

function dumpModal(m: Record<string, unknown>): string {
  return JSON.stringify(m);
}

describe("Discord: one story (issue 12)", () => {
  it("GIVEN a bad morning played on Discord THEN every channel and person gets each post once, in order, at the injected times, and the report tells the whole story", async () => {
    seen = 0;
    log.length = 0;
    // 10:00 Alice opens T-1 with the form; the requester is chosen with the user select.
    h.feed(chatInput("ticket", "new", {}, ALICE));
    let m = await nextModal();
    console.log("MODAL1", dumpModal(m));
    m = await step(
      m.custom_id as string,
      {
        title: "Messagerie indisponible au siège",
        requester: { users: [ANA] },
        department: "Siège",
        workstation: "",
        impact: [],
      },
      ALICE,
    );
    console.log("MODAL2", dumpModal(m));
    m = await step(
      m.custom_id as string,
      {
        urgency: [],
        workaround: [],
        workaroundText: "Webmail via https://mail.exemple.fr",
        since: "depuis 09h40",
        changed: "",
      },
      ALICE,
    );
    console.log("MODAL3", dumpModal(m));
    h.feed(
      modalSubmit(
        m.custom_id as string,
        { reproducible: "oui", scope: "tout le siège", errorMessage: "", profile: [] },
        ALICE,
      ),
    );
    console.log("T1", await answered(++answers));
    await settle();

    // 10:02 Bob opens T-2 inline; 10:03 Alice links it under T-1.
    await at("2026-11-24T10:02");
    console.log("T2", await run(chatInput("ticket", "new", { title: "Outlook ne reçoit plus rien" }, BOB)));
    await at("2026-11-24T10:03");
    console.log("LINK", await run(chatInput("ticket", "link", { ref: "T-2", parent: "T-1" }, BOB)));
    await at("2026-11-24T10:05");
    console.log(
      "PRIO",
      await run(
        chatInput(
          "ticket",
          "priority",
          { ref: "T-1", priority: "P1", reason: "200 utilisateurs bloqués, service indisponible" },
          ALICE,
        ),
      ),
    );

    // 10:06 the card's Declare outage button.
    await at("2026-11-24T10:06");
    h.feed(button("relais:b:ticket_declare:1", ALICE));
    m = await nextModal();
    console.log("DECL1", dumpModal(m));
    m = await step(
      m.custom_id as string,
      {
        title: "Messagerie indisponible au siège",
        services: "Exchange, Outlook",
        impactText: "tout le siège",
        impact: ["high"],
        urgency: ["high"],
      },
      ALICE,
    );
    console.log("DECL2", dumpModal(m));
    h.feed(
      modalSubmit(
        m.custom_id as string,
        {
          workaround: ["none"],
          workaroundText: "Webmail via https://mail.exemple.fr",
          channels: `${CHANNEL}, ${COMPTA}`,
        },
        ALICE,
      ),
    );
    console.log("DECL", await answered(++answers));
    await settle();

    await at("2026-11-24T10:30");
    console.log("SHOW", await run(chatInput("ticket", "show", { ref: "T-1" }, BOB)));

    for (const l of log) console.log(l.at, l.channel, JSON.stringify(l.text));
    expect(log.every((l) => JSON.stringify(l.allowedMentions) === JSON.stringify({ parse: [] }))).toBe(true);
  });
});
