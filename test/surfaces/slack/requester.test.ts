import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

/** The requester as a Slack user Relais can reach (users_select), or a caller's name beside it. */

let h: SlackHarness;
/** What a person's direct messages really received on the fake Slack, in order. */
const sentTo = (user: string) => h.slack.posted.filter((p) => p.channel === user).map((p) => p.text ?? "");
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

type View = {
  callback_id: string;
  private_metadata: string;
  blocks: { block_id: string; element: { type: string } }[];
};

async function openTicketForm(): Promise<View> {
  await h.command("");
  await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "views.open");
  return h.slack.of("views.open")[0]!.body.view as View;
}

/** A submission where the users_select block carries `selected_user`, as Slack sends it. */
function withUser(view: View, values: Record<string, string>, user: string | null) {
  const payload = viewSubmission(view, values) as { view: { state: { values: Record<string, unknown> } } };
  payload.view.state.values.requester = { value: { type: "users_select", selected_user: user } };
  return payload;
}

describe("Slack: the requester in the ticket form", () => {
  it("GIVEN a user picked in users_select THEN the ticket's requester is that Slack user, who privately gets the acknowledgement", async () => {
    const view = await openTicketForm();
    const requester = view.blocks.find((b) => b.block_id === "requester")!;
    expect(requester.element.type).toBe("users_select");
    expect(view.blocks.find((b) => b.block_id === "requester~name")!.element.type).toBe("plain_text_input");

    const res = await h.interact(withUser(view, { title: "Excel ne s’ouvre plus" }, "U0ANA"));
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card and ack");
    const t = await h.r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ requesterId: "slack:U0ANA", requester: "U0ANA" });

    await h.dispatcher.flush();
    expect(sentTo("U0ANA")).toHaveLength(1);
    expect(sentTo("U0ANA")[0]).toContain(
      "votre demande est enregistrée sous la référence T-1 : « Excel ne s’ouvre plus »",
    );
  });

  it("GIVEN a picked user Slack knows THEN the requester is named with their display name (users.info), greeted by it", async () => {
    h.slack.people.set("U0ANA", "Ana Martin");
    const view = await openTicketForm();
    await h.interact(withUser(view, { title: "Excel ne s’ouvre plus" }, "U0ANA"));
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card and ack");
    expect(h.slack.of("users.info").map((c) => c.body.user)).toEqual(["U0ANA"]);
    const t = await h.r.relais.services.tickets.get(1);
    expect(t).toMatchObject({ requesterId: "slack:U0ANA", requester: "Ana Martin" });
    await h.dispatcher.flush();
    expect(sentTo("U0ANA")[0]).toMatch(/^Bonjour Ana Martin/);
  });

  it("GIVEN nobody picked but a name typed beside the picker THEN the caller is kept as a name, and nobody is messaged", async () => {
    const view = await openTicketForm();
    await h.interact(withUser(view, { title: "Écran noir", "requester~name": "Marie Dupont" }, null));
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card and ack");
    const t = await h.r.relais.services.tickets.get(1);
    expect(t.requester).toBe("Marie Dupont");
    expect(t.requesterId).toBeUndefined();
    await h.dispatcher.flush();
    // The card and the acknowledgement in its thread, in the helpdesk channel: nothing to anyone else.
    expect(h.slack.posted.filter((p) => p.channel !== "C-HELP")).toEqual([]);
  });

  it("GIVEN a typed requester that is neither a person nor a name THEN it is refused beside the field and no ticket is created", async () => {
    const view = await openTicketForm();
    const res = await h.interact(withUser(view, { title: "Écran noir", "requester~name": "<#C123>" }, null));
    expect(res.json()).toEqual({
      response_action: "errors",
      errors: {
        requester: expect.stringContaining(
          "« <#C123> » n’est ni une personne ni un nom pour Demandeur (personne ou nom)",
        ),
      },
    });
    expect((await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all")).total).toBe(0);
  });
});
