import { DOUBLE_CLICK, type OnceKey } from "../../kit/once.ts";

/** What a Slack request's body holds that tells a repeat: its type, and for a click its button. */
interface SlackBody {
  type?: string;
  user?: { id?: string };
  container?: { message_ts?: string; view_id?: string };
  actions?: { action_id?: string; value?: string }[];
}

/**
 * The keys that make one Slack request one effect: its signed bytes (a replayed body, a delivery
 * retried by Slack or a proxy; HTTP mode only, Socket Mode has no signature) and, for a button, the
 * click — same person, same button, same value, same message, within a few seconds (a double click
 * sends two payloads, each signed anew).
 */
export function slackOnceKeys(body: SlackBody, signedRequest: unknown): OnceKey[] {
  const keys: OnceKey[] = typeof signedRequest === "string" ? [{ key: `slack:request:${signedRequest}` }] : [];
  const action = body.type === "block_actions" ? body.actions?.[0] : undefined;
  if (action) {
    const where = body.container?.message_ts ?? body.container?.view_id ?? "";
    const click = `slack:click:${body.user?.id}:${where}:${action.action_id}:${action.value ?? ""}`;
    keys.push({ key: click, within: DOUBLE_CLICK });
  }
  return keys;
}
