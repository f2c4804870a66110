import { commands } from "../../../commands/index.ts";
import type { Clock } from "../../../src/clock.ts";
import type { Policy } from "../../../src/config/policy.ts";
import type { OutboxDispatcher } from "../../../src/outbox/dispatcher.ts";
import { createSlackSurface, type SlackSurface } from "../../../src/surfaces/slack/slack-app.ts";
import { SlackSender } from "../../../src/surfaces/slack/slack-sender.ts";
import { startRelais, type TestRelais } from "../../helpers.ts";
import { FakeSlack, sendToBot, slashCommand } from "../../support/fake-slack.ts";

export const SECRET = "test-signing-secret";
export const TOKEN = "xoxb-test-token";

export interface SlackHarness {
  r: TestRelais;
  slack: FakeSlack;
  surface: SlackSurface;
  url: string;
  /** The outbox dispatcher over a SlackSender to the fake; the test flushes it. */
  dispatcher: OutboxDispatcher;
  /** A slash command as Slack posts it. */
  command(text: string, extra?: Record<string, string>, command?: string): ReturnType<typeof sendToBot>;
  /** An interactivity payload (block_actions, view_submission, view_closed) as Slack posts it. */
  interact(payload: Record<string, unknown>): ReturnType<typeof sendToBot>;
  /** Stops Relais (its work after acks done) and starts it again on the same database, on a new port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Real Bolt app over real HTTP on 127.0.0.1, talking to a fake Slack Web API. `clock` is what
 * signed timestamps are checked against (the wall clock unless told).
 */
export async function startSlackHarness(
  opts: {
    policy?: Policy;
    clock?: Clock;
    /** False: nothing sends the outbox but the test's flushes (a process that dies before sending). */
    prompt?: boolean;
  } = {},
): Promise<SlackHarness> {
  const slack = await new FakeSlack().start();
  const serve = async (r: TestRelais) => {
    const surface = createSlackSurface(r.relais, commands, {
      botToken: TOKEN,
      signingSecret: SECRET,
      apiUrl: slack.url,
      port: 0,
      botUserId: "UBOT",
      // The status page (when the policy enables it) looks for changes often: tests wait less.
      statusPollMs: 100,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const { port } = await surface.start();
    const dispatcher = r.relais.dispatcher(
      { slack: new SlackSender(TOKEN, slack.url) },
      opts.prompt === false ? { prompt: false } : {},
    );
    return { r, surface, dispatcher, url: `http://127.0.0.1:${port}/slack/events` };
  };
  let n = 0;
  // Requests are signed at the time of the clock they are checked against.
  const signed = () => ({
    secret: SECRET,
    ...(opts.clock ? { timestamp: Math.floor(opts.clock.now().toSeconds()) } : {}),
  });
  const h: SlackHarness = {
    ...(await serve(await startRelais(opts.policy ? { policy: opts.policy } : {}))),
    slack,
    command: (text, extra = {}, command = "/ticket") => {
      n++;
      return sendToBot(
        h.url,
        slashCommand(slack, command, text, {
          response_url: slack.responseUrl(`cmd${n}`),
          trigger_id: `trigger-${n}`,
          ...extra,
        }),
        signed(),
      );
    },
    interact: (payload) => sendToBot(h.url, { payload: JSON.stringify(payload) }, signed()),
    restart: async () => {
      await h.surface.stop();
      await h.dispatcher.stop();
      Object.assign(h, await serve(await h.r.restart()));
    },
    close: async () => {
      await h.surface.stop();
      await h.dispatcher.stop();
      await slack.stop();
      await h.r.close();
    },
  };
  return h;
}

/** The declaration form of a P1 outage of the mail service, as Slack modal values (channels left to the test). */
export const MAIL_OUTAGE = {
  title: "Messagerie indisponible",
  services: "Exchange",
  impactText: "tout le siège",
  impact: "select:high",
  urgency: "select:high",
  workaround: "select:none",
};

export function blockAction(
  actionId: string,
  value: string,
  extra: Record<string, unknown> = {},
  user = { id: "U-BOB", username: "bob", name: "bob", team_id: "T1" },
) {
  return {
    type: "block_actions",
    team: { id: "T1", domain: "acme" },
    user,
    api_app_id: "A1",
    token: "legacy",
    trigger_id: "trigger-action",
    channel: { id: "C-HELP", name: "support" },
    container: { type: "message", message_ts: "1.0", channel_id: "C-HELP", is_ephemeral: false },
    message: { ts: "1.0", type: "message", text: "card" },
    response_url: "http://127.0.0.1:1/unused",
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: `ticket_${value}`,
        value,
        action_ts: `${Date.now() / 1000}`,
        text: { type: "plain_text", text: "x" },
      },
    ],
    ...extra,
  };
}

/** A view_submission for a modal the bot opened, with the given field values. */
export function viewSubmission(
  view: { private_metadata?: string; callback_id?: string },
  values: Record<string, string>,
  viewId = "V-SUBMIT-1",
  user = { id: "U-ALICE", username: "alice", name: "alice", team_id: "T1" },
) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [blockId, v] of Object.entries(values)) {
    state[blockId] = {
      value: v.startsWith("select:")
        ? { type: "static_select", selected_option: { value: v.slice(7) } }
        : { type: "plain_text_input", value: v },
    };
  }
  return {
    type: "view_submission",
    team: { id: "T1", domain: "acme" },
    user,
    api_app_id: "A1",
    token: "legacy",
    trigger_id: "trigger-submit",
    view: {
      id: viewId,
      team_id: "T1",
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      hash: "h1",
      state: { values: state },
    },
  };
}
