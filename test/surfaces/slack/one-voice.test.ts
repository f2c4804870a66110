import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockAction, startSlackHarness, type SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

describe("Slack: one voice", () => {
  it("GIVEN a non-owner's update THEN it never reaches the channel or the ticket's thread, and reaches the owner as a draft", async () => {
    await h.command("Messagerie inaccessible"); // alice opens it: she owns it
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "card");
    const before = h.slack.of("chat.postMessage").length;
    await h.command("update T-1 diagnostic Redémarrer le serveur Exchange", {
      user_id: "U-BOB",
      user_name: "bob",
      response_url: h.slack.responseUrl("bob"),
    });
    await h.slack.waitFor((c) => c.some((x) => x.method === "response/bob"), "answer to bob");
    expect(JSON.stringify(h.slack.of("response/bob")[0]!.body)).toContain(
      "alice est responsable de T-1 et parle pour l’équipe",
    );
    await h.dispatcher.flush();
    const after = h.slack.of("chat.postMessage").slice(before);
    // The only post is the draft, sent privately to the owner (a DM by user id), with its buttons.
    expect(after.map((c) => c.body.channel)).toEqual(["U-ALICE"]);
    expect(JSON.stringify(after[0]!.body.blocks)).toContain("draft_approve");
    expect(h.slack.of("chat.update")).toHaveLength(0);
    expect((await h.r.relais.services.tickets.get(1)).stage).toBeUndefined();

    // The owner's Edit button opens the update form filled in with the draft.
    await h.interact(
      blockAction(
        "draft_edit",
        "1",
        { response_url: h.slack.responseUrl("edit") },
        { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" },
      ),
    );
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "edit form");
    const view = h.slack.of("views.open")[0]!.body.view as {
      blocks: { block_id: string; element: { initial_value?: string; initial_option?: { value: string } } }[];
    };
    const byId = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element]));
    expect(byId.stage?.initial_option?.value).toBe("diagnostic");
    expect(byId.nextAction?.initial_value).toBe("Redémarrer le serveur Exchange");
  });
});
