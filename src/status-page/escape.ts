/**
 * The one escape of the status page: every text a person typed (a title, services, an impact, a
 * summary) goes through it before it reaches HTML or XML, so `<script>` shows as text.
 */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Text for XML (the Atom feed): escaped as for HTML, and without the control characters XML 1.0
 * forbids even escaped (a feed reader refuses the whole feed for one of them).
 */
export function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ""));
}
