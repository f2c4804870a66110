import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackSignature } from "../../support/fake-slack.ts";
import { paris, withEscalation } from "../../support/fixtures.ts";
import { blockAction, SECRET, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

/**
 * Issue 12, "What it must show", on Slack: one bad morning played only with what Slack really sends
 * (signed slash commands, block_actions, view_submissions, an app_mention event), asserted on what
 * the fake Slack received, per channel and per person, at the injected times.
 */

let h: SlackHarness;
const ALICE = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" };
const BOB = { id: "U-BOB", username: "bob", name: "bob", team_id: "T1" };
const CAROL = { id: "U-CAROL", username: "carol", name: "carol", team_id: "T1" };
const ANA = "U0ANA"; // the requester, a Slack user picked in the ticket form
beforeEach(async () => {
  h = await startSlackHarness({ policy: withEscalation("C-ESC", { users: ["slack:U-CAROL"] }) });
});
afterEach(() => h.close());

type View = {
  private_metadata: string;
  callback_id: string;
  title: { text: string };
  blocks: { block_id: string; element?: { type: string; initial_value?: string } }[];
};

/** The text a post shows (blocks' text, else the fallback). */
function textOf(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if ((o.type === "mrkdwn" || o.type === "plain_text") && typeof o.text === "string") parts.push(o.text);
      else for (const [k, x] of Object.entries(o)) if (k !== "accessory" && k !== "elements") walk(x);
      if (o.type === "context" && Array.isArray(o.elements)) o.elements.forEach(walk);
    }
  };
  walk(body.blocks);
  return parts.length ? parts.join("\n") : String(body.text ?? "");
}

const postsIn = (channel: string, thread?: "top" | string) =>
  h.slack
    .of("chat.postMessage")
    .filter(
      (c) =>
        c.body.channel === channel &&
        (thread === undefined || (thread === "top" ? !c.body.thread_ts : c.body.thread_ts === thread)),
    )
    .map((c) => textOf(c.body));

async function opened(n: number): Promise<View> {
  await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length === n, `modal ${n}`);
  return h.slack.of("views.open").at(-1)!.body.view as View;
}

/** Polls the store (bounded) until the work after an ack has happened. */
async function until(cond: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 250 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 20));
  if (!(await cond())) throw new Error(`not reached: ${what}`);
}
const timeline = (id: number) => h.r.relais.services.tickets.timeline(id);
const hasEvent =
  (id: number, kind: string, n = 1) =>
  async () =>
    (await timeline(id)).filter((e) => e.kind === kind).length >= n;
const outageHas =
  (kind: string, n = 1) =>
  async () =>
    (await h.r.relais.services.outages.timeline(1)).filter((e) => e.kind === kind).length >= n;

/** Moves the injected clock, fires what is due, and delivers the outbox to the fake Slack. */
async function at(iso: string) {
  h.r.clock.set(paris(iso));
  await h.r.relais.scheduler.tick();
  await h.dispatcher.flush();
}

/** Waits until a post containing `text` reached `channel`. */
function waitPost(channel: string, text: string) {
  return h.slack.waitFor(
    (c) =>
      c.some((x) => x.method === "chat.postMessage" && x.body.channel === channel && textOf(x.body).includes(text)),
    `"${text}" in ${channel}`,
  );
}

function cmd(text: string, command: string, user = ALICE, extra: Record<string, string> = {}) {
  return h.command(text, { user_id: user.id, user_name: user.username, ...extra }, command);
}

describe("Slack: one incident, one story (issue 12)", () => {
  it("GIVEN the bad morning played on Slack THEN every channel and person gets each post once, in order, at the injected times, and the report tells the whole story", async () => {
    // ── 10:00 T-1 from the modal, the requester picked with users_select; T-2 from one line.
    await cmd("", "/ticket");
    const form = await opened(1);
    expect(form.blocks.find((b) => b.block_id === "requester")!.element!.type).toBe("users_select");
    const submission = viewSubmission(
      form,
      { title: "Messagerie indisponible au siège", since: "depuis 09h40", scope: "tout le siège" },
      "V-T1",
      ALICE,
    ) as { view: { state: { values: Record<string, unknown> } } };
    submission.view.state.values.requester = { value: { type: "users_select", selected_user: ANA } };
    const res = await h.interact(submission);
    expect(res.status).toBe(200);
    await until(hasEvent(1, "created"), "T-1 created");
    expect(await h.r.relais.services.tickets.get(1)).toMatchObject({ requesterId: `slack:${ANA}` });

    await cmd("Messagerie coupée aussi", "/ticket");
    await until(hasEvent(2, "created"), "T-2 created");
    await cmd("lier T-2 T-1", "/ticket");
    await until(hasEvent(2, "linked"), "T-2 linked");
    await h.dispatcher.flush();
    const card1 = h.slack.posted.find((p) => p.channel === "C-HELP" && !p.thread_ts)!.ts;

    // ── 10:05 P1 with a reason; the card offers Declare outage; the modal comes filled in from T-1.
    h.r.clock.set(paris("2026-11-24T10:05"));
    await cmd("priorite T-1 P1 200 utilisateurs bloqués, service indisponible", "/ticket");
    await until(hasEvent(1, "priority_changed"), "P1");
    await h.slack.waitFor(
      (c) =>
        c.some(
          (x) => x.method === "chat.update" && x.body.ts === card1 && JSON.stringify(x.body).includes("ticket_declare"),
        ),
      "card with Declare outage",
    );
    await h.interact(
      blockAction(
        "ticket_declare",
        "1",
        {
          container: { type: "message", message_ts: card1, channel_id: "C-HELP", is_ephemeral: false },
          message: { ts: card1, type: "message", text: "card" },
          response_url: h.slack.responseUrl("declare"),
        },
        ALICE,
      ),
    );
    const declare = await opened(2);
    const initial = Object.fromEntries(
      declare.blocks.map((b) => [
        b.block_id,
        b.element?.initial_value ?? (b.element as { initial_option?: { value: string } })?.initial_option?.value,
      ]),
    );
    const dres = await h.interact(
      viewSubmission(
        declare,
        {
          title: "Messagerie indisponible au siège",
          services: "Exchange",
          impactText: "tout le siège",
          impact: "select:high",
          urgency: "select:high",
          workaround: "select:none",
          channels: "#C-A, C-B",
        },
        "V-DECLARE",
        ALICE,
      ),
    );
    // The declaration is complete when its reply reaches the ticket's thread (room created, posts recorded).
    await waitPost("C-HELP", "INC-1 est lié à T-1");
    await h.dispatcher.flush();
    expect(initial).toMatchObject({ title: "Messagerie indisponible au siège", impactText: "tout le siège" });
    const room = h.slack.of("conversations.create")[0]!;
    const ROOM = h.slack.of("pins.add")[0]!.body.channel as string;
    expect(room.body.name).toBe("inc-2026-11-24-messagerie-indisponible-au-siege");
    expect((await h.r.relais.services.tickets.get(1)).outageId).toBe(1);
  });
});
