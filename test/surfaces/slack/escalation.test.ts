import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { blockAction, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

let h: SlackHarness;
const MANAGER = { id: "UMGR", username: "carol", name: "carol", team_id: "T1" };
const BOB = { id: "U-BOB", username: "bob", name: "bob", team_id: "T1" };
beforeEach(async () => {
  h = await startSlackHarness({ policy: withEscalation("C-ESC", { users: ["slack:UMGR"] }) });
});
afterEach(() => h.close());

type View = { private_metadata: string; callback_id: string; title: { text: string }; blocks: { block_id: string }[] };
const lastView = () => h.slack.of("views.open").at(-1)!.body.view as View;
const posts = (channel: string) => h.slack.of("chat.postMessage").filter((c) => c.body.channel === channel);

/** Polls the store (bounded) until the work after an ack has happened. */
async function until(cond: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 20));
  if (!(await cond())) throw new Error("condition not reached");
}

async function opened(n: number) {
  await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length === n, `modal ${n}`);
  return lastView();
}

describe("Slack: escalate → 3W refusal → note → follow-up → acknowledgement → refused and accepted decisions → announcement", () => {
  it("GIVEN the whole flow THEN Slack receives each step in the right place and the timeline holds it", async () => {
    await h.command("Facture en double pour le client Dupont");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "chat.postMessage").length >= 2, "ticket card");

    // 1. The form opens for T-1; an incomplete note is refused with what is missing, nothing is sent.
    await h.command("T-1", {}, "/escalate");
    const form = await opened(1);
    expect(form.title.text).toBe("Escalade T-1");
    const refused = await h.interact(
      viewSubmission(
        form,
        {
          type: "select:billing",
          direction: "select:functional",
          urgency: "select:24h",
          request: "Annuler la facture F-114",
          facts: "Débité deux fois",
        },
        "V-ESC-1",
      ),
    );
    // Beside each missing field of the modal, which stays open (the 3W check at submission).
    const errors = (refused.json() as { response_action: string; errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(["impact", "nextUpdate", "targetTeam", "why"]);
    expect(errors.why).toContain("Note non envoyée");
    await h.dispatcher.flush();
    expect(posts("C-ESC")).toHaveLength(0);

    // 2. A complete note is posted in the escalation channel with the seed's subject and buttons.
    await h.command("T-1", {}, "/escalate");
    const form2 = await opened(2);
    await h.interact(
      viewSubmission(
        form2,
        {
          type: "select:billing",
          direction: "select:functional",
          targetTeam: "Facturation N2",
          why: "Seule la facturation peut annuler",
          request: "Annuler la facture F-114",
          urgency: "select:24h",
          nextUpdate: "16:00",
          facts: "Débité deux fois le 23/11",
          impact: "1 client, 1 240 €",
        },
        "V-ESC-2",
      ),
    );
    await h.slack.waitFor(
      (c) =>
        c.some(
          (x) =>
            x.method === "chat.postMessage" &&
            x.body.channel === "C-HELP" &&
            JSON.stringify(x.body).includes("E-1 envoyée"),
        ),
      "sent reply in the ticket thread",
    );
    await h.dispatcher.flush();
    const note = posts("C-ESC")[0]!;
    expect(JSON.stringify(note.body.blocks)).toContain(
      "Escalade - facturation - — - 1 client, 1 240 € - 24h - Ticket T-1 | 2026-11-24 10:00 Europe/Paris | Owner alice",
    );
    expect(JSON.stringify(note.body.blocks)).toContain("escalation_decide");

    // 3. Nobody acknowledges for 24 h: a follow-up in the note's thread.
    h.r.clock.set(paris("2026-11-25T10:00"));
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    const followUp = posts("C-ESC").at(-1)!;
    expect(followUp.body.thread_ts).toBeDefined();
    expect(JSON.stringify(followUp.body.blocks)).toContain("Relance 1");
    const thread = followUp.body.thread_ts;

    // 4. The manager acknowledges from the note's button, with a time to come back by.
    await h.interact(blockAction("escalation_ack", "1", { response_url: h.slack.responseUrl("ack") }, MANAGER));
    const ackForm = await opened(3);
    expect(ackForm.blocks.map((b) => b.block_id)).toEqual(["eta"]);
    await h.interact(viewSubmission(ackForm, { eta: "+2h" }, "V-ACK", MANAGER));
    // The timeline event is the acknowledgement's last write: its thread message is recorded by then.
    await until(async () =>
      (await h.r.relais.services.tickets.timeline(1)).some((e) => e.kind === "escalation_acknowledged"),
    );
    await h.dispatcher.flush();
    expect(
      posts("C-ESC").some(
        (p) => p.body.thread_ts === thread && JSON.stringify(p.body.blocks).includes("carol prend en charge E-1"),
      ),
    ).toBe(true);

    // 5. A non-manager tries to decide: a polite refusal, nothing changes.
    await h.interact(blockAction("escalation_decide", "1", { response_url: h.slack.responseUrl("decide-bob") }, BOB));
    await h.slack.waitFor((c) => c.some((x) => x.method === "response/decide-bob"), "refusal");
    expect(JSON.stringify(h.slack.of("response/decide-bob")[0]!.body)).toContain("Seul un manager peut trancher E-1");
    expect(h.slack.of("views.open")).toHaveLength(3);

    // 6. The manager decides.
    await h.interact(blockAction("escalation_decide", "1", { response_url: h.slack.responseUrl("decide") }, MANAGER));
    const decideForm = await opened(4);
    expect(decideForm.blocks.map((b) => b.block_id)).toEqual(["option", "rationale", "owner"]);
    await h.interact(
      viewSubmission(
        decideForm,
        { option: "Annuler la facture", rationale: "Double prélèvement prouvé", owner: "Facturation N2" },
        "V-DECIDE",
        MANAGER,
      ),
    );
    await until(async () => (await h.r.relais.services.tickets.timeline(1)).some((e) => e.kind === "decided"));
    await h.dispatcher.flush();
    expect(
      posts("C-ESC").some(
        (p) =>
          p.body.thread_ts === thread &&
          JSON.stringify(p.body.blocks).includes("carol tranche E-1 : option Annuler la facture"),
      ),
    ).toBe(true);

    // 7. The owner announces once, in the ticket's thread.
    await h.command("announce E-1", {}, "/escalate");
    await h.slack.waitFor(
      (c) =>
        c.some(
          (x) => x.method === "chat.postMessage" && JSON.stringify(x.body).includes("Décision : Annuler la facture"),
        ),
      "announcement",
    );
    const kinds = (await h.r.relais.services.tickets.timeline(1)).map((e) => e.kind);
    expect(kinds).toEqual([
      "created",
      "escalated",
      "escalation_follow_up",
      "escalation_acknowledged",
      "decided",
      "decision_announced",
    ]);
  });
});
