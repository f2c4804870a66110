/**
 * Text for Slack's mrkdwn. Escaping &, < and > is what Slack documents: it turns a typed
 * `<!channel>`, `<!here>`, `<!everyone>` or `<@U123>` into plain text, so user input never pings or
 * links; only a channel's mention (`<#C123>`, `<#C123|support>`) is kept. Bare "@here" is not a mention
 * in API-posted text.
 */
export function escapeMrkdwn(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // A channel's mention (`<#C123>`, how Relais names a channel it stores by id; `<#C123|support>`,
      // a typed one escaped by Slack, a channel name's characters only) stays one: Slack shows the
      // channel's name, and a channel link pings nobody.
      .replace(/&lt;#([CG][A-Z0-9-]+(?:\|[\p{Ll}\p{N}_-]{1,80})?)&gt;/gu, "<#$1>")
  );
}

export { clip } from "../../text.ts";
