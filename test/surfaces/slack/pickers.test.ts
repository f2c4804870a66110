import type { ModalView } from "@slack/types";
import { afterEach, describe, expect, it } from "vitest";
import { paris, variant } from "../../support/fixtures.ts";
import { viewViolations } from "../../support/block-kit.ts";
import { escapeMrkdwn } from "../../../src/surfaces/slack/mrkdwn.ts";
import { commands } from "../../../commands/index.ts";
import { texts } from "../../../src/i18n/index.ts";
import { formView } from "../../../src/surfaces/slack/forms.ts";
import { MAIL_OUTAGE, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

/** Issue 15, "pick, don't type": channels, people and promised times are picked in Slack's modals. */

let h: SlackHarness;
afterEach(async () => {
  // The pure payload tests start no harness.
  await h?.close();
  h = undefined as unknown as SlackHarness;
});

type Element = { type: string; [k: string]: unknown };
type View = ModalView & { private_metadata: string; callback_id: string };
const element = (view: View, block: string) =>
  (view.blocks as { block_id?: string; element?: Element }[]).find((b) => b.block_id === block)?.element;

async function openForm(text: string, command: string, n: number): Promise<View> {
  await h.command(text, {}, command);
  await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length === n, `form ${text}`);
  return h.slack.of("views.open")[n - 1]!.body.view as View;
}

/** What a channel (or a person's direct messages) received on the fake Slack. */
const postsIn = (channel: string) => h.slack.posted.filter((p) => p.channel === channel).map((p) => p.text ?? "");

const A = "C0AFFECTED1";
const B = "G0PRIVATE22";

describe("Slack pickers (issue 15)", () => {
  it("GIVEN the outage, ticket and update forms THEN channels, the requester and the next update are pickers, within Block Kit limits", async () => {
    h = await startSlackHarness();
    const declare = await openForm("declare", "/outage", 1);
    expect(element(declare, "channels")).toEqual({
      type: "multi_conversations_select",
      action_id: "value",
      filter: { include: ["public", "private"], exclude_bot_users: true },
      max_selected_items: 50,
    });
    const ticket = await openForm("", "/ticket", 2);
    expect(element(ticket, "requester")?.type).toBe("users_select");
    await h.command("Imprimante HS au 2e");
    await h.slack.waitFor((c) => c.some((x) => x.method === "chat.postMessage"), "ticket card");
    const update = await openForm("update T-1", "/ticket", 3);
    expect(element(update, "nextUpdate")).toEqual({ type: "datetimepicker", action_id: "value" });
    for (const [name, view] of [
      ["declare", declare],
      ["ticket", ticket],
      ["update", update],
    ] as const)
      expect(viewViolations(view, name)).toEqual([]);
  });

  it("GIVEN channels picked in the declaration THEN the announcement goes to those channel ids, and the reply says it is queued, naming them", async () => {
    h = await startSlackHarness();
    const view = await openForm("declare", "/outage", 1);
    const res = await h.interact(viewSubmission(view, { ...MAIL_OUTAGE, channels: `conversations:${A},${B}` }));
    expect(res.status).toBe(200);
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.postMessage" && x.body.channel === "C-HELP"),
      "reply",
    );
    const reply = h.slack.of("chat.postMessage").find((c) => c.body.channel === "C-HELP")!.body.text as string;
    // The mentions stay mentions (Slack shows the names), and nothing claims it was sent yet.
    expect(reply).toContain(`Annonce en file d’envoi pour 2 canaux : <#${A}>, <#${B}>`);
    expect(reply).not.toContain("envoyée");
    await h.surface.idle();
    await h.dispatcher.flush();
    for (const ch of [A, B]) expect(postsIn(ch).filter((t) => t.includes("Toutes nos excuses"))).toHaveLength(1);
    const [o] = await h.r.relais.services.outages.ongoing();
    expect(o!.channels).toEqual([
      { platform: "slack", channel: A },
      { platform: "slack", channel: B },
    ]);
  });

  it("GIVEN a forged channel value (a name, a smuggled mention) THEN refused beside the field, in the person's language, and nothing changes", async () => {
    h = await startSlackHarness();
    const view = await openForm("declare", "/outage", 1);
    for (const [forged, i] of [
      ["#general", 1],
      [`${A}|x><!here`, 2],
    ] as const) {
      const res = await h.interact(
        viewSubmission(view, { ...MAIL_OUTAGE, channels: `conversations:${forged}` }, `V-FORGED-${i}`),
      );
      const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(Object.keys(body.errors)).toEqual(["channels"]);
      expect(body.errors.channels).toContain("n’est pas un canal que je peux retrouver");
    }
    await h.surface.idle();
    await h.dispatcher.flush();
    expect(await h.r.relais.services.outages.ongoing()).toEqual([]);
    expect(h.slack.of("chat.postMessage")).toEqual([]);
  });

  it("GIVEN a date and time picked for the next update THEN the ticket promises that time, read in the policy's zone", async () => {
    h = await startSlackHarness();
    await h.command("Imprimante HS au 2e");
    await h.command("take T-1");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "taken");
    const view = await openForm("update T-1", "/ticket", 1);
    // 2026-11-24 15:30 in Paris, as Slack's datetimepicker sends it: epoch seconds.
    const at = paris("2026-11-24T15:30");
    const res = await h.interact(
      viewSubmission(view, {
        stage: "select:diagnostic",
        nextAction: "Changer le toner",
        nextUpdate: `datetime:${at.toSeconds()}`,
      }),
    );
    expect(res.status).toBe(200);
    await h.surface.idle();
    const t = await h.r.relais.services.tickets.get(1);
    expect(t.nextUpdateDue?.toMillis()).toBe(at.toMillis());
  });

  it("GIVEN a picked time already past THEN refused beside the field, and nothing changes", async () => {
    h = await startSlackHarness();
    await h.command("Imprimante HS au 2e");
    await h.command("take T-1");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "taken");
    const before = await h.r.relais.services.tickets.get(1);
    const view = await openForm("update T-1", "/ticket", 1);
    const res = await h.interact(
      viewSubmission(view, {
        stage: "select:diagnostic",
        nextAction: "Changer le toner",
        nextUpdate: `datetime:${paris("2026-11-24T08:00").toSeconds()}`,
      }),
    );
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body).toMatchObject({ response_action: "errors" });
    expect(Object.keys(body.errors)).toEqual(["nextUpdate"]);
    await h.surface.idle();
    expect((await h.r.relais.services.tickets.get(1)).version).toBe(before.version);
  });

  it("GIVEN a channel that refuses the announcement (channel_not_found) THEN the declarer is told privately, in their language, naming the channel; the other channel gets it", async () => {
    h = await startSlackHarness({ policy: variant({ language: "en" }) });
    h.slack.failWhen("chat.postMessage", (call) =>
      call.body.channel === B ? { status: 200, body: { ok: false, error: "channel_not_found" } } : undefined,
    );
    const view = await openForm("declare", "/outage", 1);
    await h.interact(viewSubmission(view, { ...MAIL_OUTAGE, channels: `conversations:${A},${B}` }));
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.postMessage" && x.body.channel === "C-HELP"),
      "reply",
    );
    await h.surface.idle();
    await h.dispatcher.flush();
    await h.dispatcher.flush();
    expect(postsIn(A).filter((t) => t.includes("INC-1"))).toHaveLength(1);
    expect(postsIn(B)).toEqual([]);
    const told = postsIn("U-ALICE");
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`INC-1: the post due in <#${B}>`);
    expect(told[0]).toContain("could not be published (channel_not_found)");
    expect(told[0]).toContain("Invite Relais to that channel");
  });

  it("GIVEN text naming channels THEN their mentions stay links (Slack shows the names); nothing else unescaped", () => {
    expect(escapeMrkdwn("voir <#C0123ABCD> et <#C0123ABCD|support>")).toBe("voir <#C0123ABCD> et <#C0123ABCD|support>");
    expect(escapeMrkdwn("<!here> <@U1> <#C1|x><!channel> <#C1|Support & co>")).toBe(
      "&lt;!here&gt; &lt;@U1&gt; <#C1|x>&lt;!channel&gt; &lt;#C1|Support &amp; co&gt;",
    );
  });

  it("GIVEN a form shown again with what was picked THEN the channels and the date-time are picked again", () => {
    const outage = commands.find((c) => c.name === "outage")!;
    const update = outage.subcommands.find((s) => s.name === "update")!;
    const declare = outage.subcommands.find((s) => s.name === "declare")!;
    const x = texts("fr", "Europe/Paris");
    const state = (sub: string) => ({ command: "outage", sub, channel: "C-HELP", given: {} });
    const shown = formView(
      x,
      { command: outage, sub: update, state: state("update"), initial: { nextUpdate: "2026-11-24 15:30" } },
      "m",
    ) as View;
    expect(element(shown, "nextUpdate")).toMatchObject({ initial_date_time: paris("2026-11-24T15:30").toSeconds() });
    const declared = formView(
      x,
      { command: outage, sub: declare, state: state("declare"), initial: { channels: `<#${A}> <#${B}>` } },
      "m",
    ) as View;
    expect(element(declared, "channels")).toMatchObject({ initial_conversations: [A, B] });
  });
});
