/**
 * Text for Slack's mrkdwn. Escaping &, < and > is what Slack documents: it turns a typed
 * `<!channel>`, `<!here>`, `<!everyone>` or `<@U123>` into plain text, so user input never pings or
 * links. Bare "@here" is not a mention in API-posted text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export { clip } from "../../text.ts";
