import { createHash } from "node:crypto";
import type { DateTime } from "luxon";
import type { Moments, Texts } from "../i18n/index.ts";
import { hoursAndMinutes } from "../outages/report.ts";
import { escapeHtml as e } from "./escape.ts";
import type { PublicOutage, StatusSnapshot } from "./snapshot.ts";

/** Paths of the page, its feeds and its live events. */
export const STATUS_PATHS = {
  page: "/status",
  json: "/status.json",
  atom: "/status.atom",
  events: "/status/events",
} as const;

/** Without JavaScript, the page reloads itself this often. */
export const NOSCRIPT_REFRESH_SECONDS = 60;

/**
 * Contrast (WCAG AA, 4.5:1 at least): dark text on white, the badges dark on pale. System fonts,
 * no external resource: the page works behind any firewall.
 */
const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:48rem;padding:1rem}
header h1{margin:.5rem 0}
a{color:#0b4f9c}
section{margin:1.5rem 0}
article{border:1px solid #767676;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
article.ongoing{border-left:.4rem solid #a4161a}
article.resolved{border-left:.4rem solid #1b5e20}
h3{margin:.25rem 0 .5rem;font-size:1.15rem}
.badge{display:inline-block;font-size:.85rem;font-weight:600;padding:0 .5rem;border-radius:1rem;margin-right:.5rem}
.ongoing .badge{background:#fde8e8;color:#8a1116}
.resolved .badge{background:#e6f4ea;color:#14501a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
footer{border-top:1px solid #767676;margin-top:2rem;padding-top:.5rem;font-size:.9rem}
`;

/**
 * Live refresh without reload: the server sends the page's fingerprint on /status/events each
 * time what it shows changes; a new one fetches the page and swaps its <main> in place.
 */
const SCRIPT = `
(() => {
  if (!("EventSource" in window)) return;
  const main = () => document.querySelector("main");
  const events = new EventSource("${STATUS_PATHS.events}");
  // Refused for good (the server's limit): a reload now and then, as without JavaScript.
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) setTimeout(() => location.reload(), ${NOSCRIPT_REFRESH_SECONDS * 1000});
  };
  events.onmessage = async (m) => {
    if (m.data === main().dataset.version) return;
    const res = await fetch(location.pathname, { headers: { accept: "text/html" }, cache: "no-store" });
    if (!res.ok) return;
    const next = new DOMParser().parseFromString(await res.text(), "text/html").querySelector("main");
    if (next) main().replaceWith(document.adoptNode(next));
  };
})();
`;

const hash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

/** Only this page's own style and script run: any markup that slipped through escaping would not. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(SCRIPT)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface PageOptions {
  title: string;
  /** The snapshot's fingerprint: the live script compares it with what the server announces. */
  version: string;
}

/** The whole page: landmarks (banner, main, contentinfo), one heading per section and per outage. */
export function statusHtml(x: Texts, s: StatusSnapshot, opts: PageOptions): string {
  const generatedAt = x.moments(s.at)(s.at);
  return `<!doctype html>
<html lang="${x.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(opts.title)}</title>
<noscript><meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_SECONDS}"></noscript>
<link rel="alternate" type="application/atom+xml" href="${STATUS_PATHS.atom}" title="${e(opts.title)}">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(opts.title)}</h1>
<p>${e(x.t("status.intro"))}</p>
</header>
<main data-version="${e(opts.version)}">
<section aria-labelledby="ongoing-heading">
<h2 id="ongoing-heading">${e(x.t("status.ongoing_heading", { count: s.ongoing.length }))}</h2>
${s.ongoing.length === 0 ? `<p>${e(x.t("status.ongoing_empty"))}</p>` : s.ongoing.map((o) => ongoingArticle(x, o)).join("\n")}
</section>
<section aria-labelledby="resolved-heading">
<h2 id="resolved-heading">${e(x.t("status.resolved_heading"))}</h2>
${s.resolved.length === 0 ? `<p>${e(x.t("status.resolved_empty"))}</p>` : s.resolved.map((o) => resolvedArticle(x, o)).join("\n")}
</section>
<p role="status">${e(x.t("status.generated", { time: generatedAt }))} ${e(x.t("status.live"))}</p>
</main>
<footer>
<p>${e(x.t("status.follow"))} <a href="${STATUS_PATHS.atom}">${e(x.t("status.feed_atom"))}</a> · <a href="${STATUS_PATHS.json}">${e(x.t("status.feed_json"))}</a></p>
</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Its times state the zone once (the first), with their date: "mar. 24 nov. 10:00 (heure de Paris)". */
function ongoingArticle(x: Texts, o: PublicOutage): string {
  const at = x.moments();
  const rows: [string, string][] = [
    [x.t("status.services"), e(o.services)],
    [x.t("status.impact"), e(o.impact)],
    [x.t("status.stage"), e(o.stage ? x.t(`choice.stage.${o.stage}`) : x.t("status.stage_declared"))],
    [x.t("status.next_update"), time(at, o.nextUpdateDue!)],
    [x.t("status.last_update"), time(at, o.lastUpdateAt)],
    [x.t("status.declared"), time(at, o.declaredAt)],
    [x.t("status.workaround"), e(o.workaround ?? x.t("outage.no_workaround"))],
  ];
  if (o.estimate) rows.push([x.t("status.estimate"), `${time(at, o.estimate)} ${e(x.t("status.estimate_note"))}`]);
  if (o.owner) rows.push([x.t("status.owner"), e(o.owner)]);
  return article(x, o, "ongoing", rows);
}

function resolvedArticle(x: Texts, o: PublicOutage): string {
  const at = x.moments();
  const end = o.resolvedAt ?? o.lastUpdateAt;
  const minutes = Math.max(0, Math.round(end.diff(o.declaredAt, "minutes").minutes));
  const rows: [string, string][] = [
    [x.t("status.services"), e(o.services)],
    [x.t("status.impact"), e(o.impact)],
    [
      x.t("status.period"),
      // The words escaped, then the times (markup: <time>) put in their placeholders.
      e(x.t("status.period_value", { duration: hoursAndMinutes(x, minutes) }))
        .replace("{start}", time(at, o.declaredAt))
        .replace("{end}", time(at, end)),
    ],
  ];
  if (o.summary) rows.push([x.t("status.summary"), e(o.summary)]);
  if (o.owner) rows.push([x.t("status.owner"), e(o.owner)]);
  return article(x, o, "resolved", rows);
}

function article(x: Texts, o: PublicOutage, kind: "ongoing" | "resolved", rows: [string, string][]): string {
  const id = `${o.ref.toLowerCase()}-title`;
  return `<article class="${kind}" aria-labelledby="${id}">
<h3 id="${id}"><span class="badge">${e(x.t(`status.badge_${kind}`))}</span><span class="ref">${e(o.ref)}</span> — <span class="title">${e(o.title)}</span></h3>
<dl>
${rows.map(([label, value]) => `<dt>${e(label)}</dt><dd>${value}</dd>`).join("\n")}
</dl>
</article>`;
}

/** A time as people read it, and as machines do (datetime, UTC). */
function time(at: Moments, d: DateTime): string {
  return `<time datetime="${e(d.toUTC().toISO()!)}">${e(at(d))}</time>`;
}
