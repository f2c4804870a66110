import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { paris } from "../support/fixtures.ts";
import { MAIL_OUTAGE, type SlackHarness, startSlackHarness, viewSubmission } from "../surfaces/slack/harness.ts";
import { withStatusPage } from "./support.ts";

/**
 * The status page in a real headless Chromium (Debian's `chromium`, CHROMIUM_PATH to use another),
 * Relais on Slack through the real Bolt app and the fake Slack: an outage declared with
 * /outage declare shows, its update arrives without a reload, then its restoration; axe-core finds
 * no serious violation in any state; a screenshot of each state goes to test-output/status/.
 */

const SHOTS = new URL("../../test-output/status/", import.meta.url).pathname;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser: Browser;
let h: SlackHarness;
let page: Page;
let base: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
});
afterAll(() => browser?.close());

beforeEach(async () => {
  h = await startSlackHarness({ policy: withStatusPage() });
  base = h.url.replace(/\/slack\/events$/, "");
  // The page's Content-Security-Policy is kept: live refresh must work under it.
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 900, height: 900 } });
  page = await context.newPage();
});
afterEach(async () => {
  await page.context().close();
  await h.close();
});

/** /outage declare on Slack, its form submitted: declared once the declaring channel is told. */
async function declare(values: Record<string, string>) {
  const forms = h.slack.of("views.open").length;
  await h.command("declare", {}, "/outage");
  await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length > forms, "declaration form");
  const view = h.slack.of("views.open").at(-1)!.body.view as { private_metadata: string; callback_id: string };
  const replies = h.slack.of("chat.postMessage").filter((c) => c.body.channel === "C-HELP").length;
  await h.interact(viewSubmission(view, values, `V-DECLARE-${forms}`));
  await h.slack.waitFor(
    (c) => c.filter((x) => x.method === "chat.postMessage" && x.body.channel === "C-HELP").length > replies,
    "declared reply",
  );
  await h.surface.idle();
}

/** axe-core on the page as it is: no violation of serious or critical impact (printed when there is one). */
async function accessible(state: string) {
  // Evaluated through the DevTools protocol: a <script> tag added to the page (addScriptTag) is
  // refused by its Content-Security-Policy, as any script but its own.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.html),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length > 0) console.error(`axe-core, ${state}:`, JSON.stringify(serious, null, 2));
  expect(serious, state).toEqual([]);
}
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { html: string }[];
}

const article = (kind: "ongoing" | "resolved") => page.locator(`article.${kind}`);

describe("the status page in a browser", () => {
  it("GIVEN an outage declared on Slack THEN the page shows it, then its update and its restoration without a reload, accessible in every state", async () => {
    await declare({ ...MAIL_OUTAGE, workaroundText: "Webmail de secours", channels: "C-A" });
    const navigations: string[] = [];
    page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
    await page.goto(`${base}/status`);
    expect(await page.title()).toBe("État des services");
    await expect.poll(() => article("ongoing").count()).toBe(1);
    const ongoing = await article("ongoing").textContent();
    for (const seen of [
      "INC-1 — Messagerie indisponible",
      "Exchange",
      "tout le siège",
      "panne déclarée, diagnostic en cours",
      "Webmail de secours",
      "mar. 24 nov. 11:00 (heure de Paris)",
    ])
      expect(ongoing).toContain(seen);
    expect(ongoing).not.toContain("alice");
    await page.screenshot({ path: `${SHOTS}1-declared.png`, fullPage: true });
    await accessible("declared");
    // Set on this document: still there after the update means no reload happened.
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = "same document";
    });

    h.r.clock.set(paris("2026-11-24T10:20"));
    await h.command("update INC-1 diagnostic Basculer sur le serveur de secours", {}, "/outage");
    await h.surface.idle();
    await page.getByText("mar. 24 nov. 11:20 (heure de Paris)").waitFor({ timeout: 15_000 });
    const updated = await article("ongoing").textContent();
    expect(updated).toContain("diagnostic");
    expect(updated).not.toContain("panne déclarée");
    expect(updated).toContain("mar. 24 nov. 10:20"); // the last update
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same document");
    await page.screenshot({ path: `${SHOTS}2-updated.png`, fullPage: true });
    await accessible("updated");

    h.r.clock.set(paris("2026-11-24T10:50"));
    const forms = h.slack.of("views.open").length;
    await h.command("resolve INC-1", {}, "/outage");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length > forms, "resolution form");
    const resolveView = h.slack.of("views.open").at(-1)!.body.view as { private_metadata: string; callback_id: string };
    await h.interact(
      viewSubmission(resolveView, { whatHappened: "Disque plein", result: "Messagerie rétablie" }, "V-RESOLVE"),
    );
    await h.surface.idle();
    await article("resolved").waitFor({ timeout: 15_000 });
    const resolved = await article("resolved").textContent();
    expect(resolved).toContain("Rétablie");
    expect(resolved).toContain("Messagerie rétablie");
    expect(resolved).toContain("(0 h 50 min)");
    expect(resolved).not.toContain("Disque plein"); // what happened is the report's, not the public's
    expect(await page.locator("#ongoing-heading").textContent()).toBe("Aucune panne en cours");
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same document");
    expect(navigations).toEqual([`${base}/status`]);
    await page.screenshot({ path: `${SHOTS}3-resolved.png`, fullPage: true });
    await accessible("resolved");

    // The feed the page links to is well-formed XML with one entry per step.
    const feed = await page.evaluate(async () => {
      const xml = await (await fetch("/status.atom")).text();
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        entries: doc.querySelectorAll("entry").length,
      };
    });
    expect(feed).toEqual({ error: null, entries: 3 });
  });

  it("GIVEN an outage titled <script> THEN the page shows the words: nothing runs, the title's text is what was typed", async () => {
    const title = `<script>window.pwned = true; alert("pwned")</script>`;
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${base}/status`);
    await declare({ ...MAIL_OUTAGE, title, services: `<img src=x onerror="window.pwned=true">`, channels: "C-A" });
    // Arrived live (parsed by DOMParser), then again on a fresh load (parsed by the page itself).
    await article("ongoing").waitFor({ timeout: 15_000 });
    for (const load of ["live", "reload"]) {
      if (load === "reload") await page.reload();
      expect(await article("ongoing").locator(".title").textContent(), load).toBe(title);
      expect(await article("ongoing").locator("dd").first().textContent(), load).toBe(
        `<img src=x onerror="window.pwned=true">`,
      );
      expect(await page.locator("article img, article script").count(), load).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned ?? false), load).toBe(false);
    }
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: `${SHOTS}4-escaped-title.png`, fullPage: true });
  });

  it("GIVEN a browser in English THEN the page is in English, the zone said in English", async () => {
    const context = await browser.newContext({ locale: "en-GB" });
    const english = await context.newPage();
    await declare({ ...MAIL_OUTAGE, channels: "C-A" });
    await english.goto(`${base}/status`);
    expect(await english.locator("html").getAttribute("lang")).toBe("en");
    const text = await english.locator("article.ongoing").textContent();
    expect(text).toContain("Next update");
    expect(text).toContain("Tue 24 Nov 11:00 (Paris time)");
    await context.close();
  });
});
