import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { parsePolicy } from "../../src/config/policy.ts";
import { defaultPolicy, paris, rawPolicy, TUESDAY_10 } from "../support/fixtures.ts";
import { serveStatus, withStatusPage } from "./support.ts";

/**
 * The public status page (issue 17) on a server of its own, as Relais serves it beside /healthz:
 * what it shows, in which language, what it never shows, its JSON and Atom twins, off by default.
 */

let r: OutboxRelais;
let s: Awaited<ReturnType<typeof serveStatus>>;
afterEach(async () => {
  await s?.close();
  await r?.close();
});

const DECLARE = {
  title: "Messagerie indisponible",
  services: "Exchange, webmail",
  impactText: "tout le siège (300 personnes)",
  impact: "élevé",
  urgency: "haute",
  workaround: "aucun contournement",
  workaroundText: "utiliser le webmail de secours",
  channels: "#support, #compta",
};

/** T-1, asked by Quentin, opened by Alice; INC-1 declared from it by Alice at 10:10. */
async function start(policy = withStatusPage(), serve: Parameters<typeof serveStatus>[1] = {}) {
  r = await startRelaisWithOutbox({ now: paris(TUESDAY_10), policy });
  await r.say("/ticket", { form: { title: "Outlook ne reçoit plus rien", requester: "@quentin" } });
  await r.at("2026-11-24T10:10");
  await r.say("/outage declare T-1", { form: DECLARE });
  s = await serveStatus(r, serve);
}

describe("GET /status", () => {
  it("GIVEN an ongoing outage THEN the page names it in plain words: services, impact, stage, workaround, last and next update with date and zone", async () => {
    await start();
    await r.at("2026-11-24T10:20");
    await r.say("/outage update INC-1 diagnostic lire les journaux");
    const page = await s.get("/status");
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html; charset=utf-8");
    expect(page.headers.get("vary")).toBe("Accept-Language");
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('<h2 id="ongoing-heading">1 panne en cours</h2>');
    expect(page.text).toContain('INC-1</span> — <span class="title">Messagerie indisponible</span>');
    expect(page.text).toContain("<dt>Services touchés</dt><dd>Exchange, webmail</dd>");
    expect(page.text).toContain("<dt>Impact</dt><dd>tout le siège (300 personnes)</dd>");
    expect(page.text).toContain("<dt>Étape actuelle</dt><dd>diagnostic</dd>");
    expect(page.text).toContain("<dt>En attendant</dt><dd>utiliser le webmail de secours</dd>");
    expect(page.text).toMatch(
      /<dt>Prochain point<\/dt><dd><time datetime="[^"]+">mar\. 24 nov\. 11:20 \(heure de Paris\)<\/time>/,
    );
    expect(page.text).toMatch(/<dt>Dernier point<\/dt><dd><time datetime="[^"]+">mar\. 24 nov\. 10:20<\/time>/);
    expect(page.text).toContain("Aucune panne rétablie ces 7 derniers jours.");
    // Landmarks, and the fallback refresh without JavaScript.
    for (const tag of ["<header>", "<main ", "<footer>", "<h1>"]) expect(page.text).toContain(tag);
    expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="60"></noscript>');
  });

  it("GIVEN a browser asking for English THEN the page is in English, the zone said in English", async () => {
    await start();
    const page = await s.get("/status", "en-GB,en;q=0.9,fr;q=0.5");
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain("1 ongoing outage");
    expect(page.text).toContain("<dt>Current stage</dt><dd>outage declared, diagnosis under way</dd>");
    expect(page.text).toMatch(/<dt>Next update<\/dt><dd><time [^>]+>Tue 24 Nov 11:10 \(Paris time\)<\/time>/);
    // A language it does not have: the policy's.
    expect((await s.get("/status", "de-DE")).text).toContain('<html lang="fr">');
  });

  it("GIVEN the outage restored THEN it moves to the restored section with its period and summary, and leaves it after 7 days", async () => {
    await start();
    await r.at("2026-11-24T12:55");
    await r.say("/outage resolve INC-1", {
      form: { whatHappened: "Disque du serveur saturé", result: "Messagerie rétablie pour tous" },
    });
    const page = (await s.get("/status")).text;
    expect(page).toContain("Aucune panne en cours");
    expect(page).toContain('<article class="resolved"');
    expect(page).toMatch(
      /<dt>Période<\/dt><dd>du <time [^>]+>mar\. 24 nov\. 10:10 \(heure de Paris\)<\/time> au <time [^>]+>mar\. 24 nov\. 12:55<\/time> \(2 h 45 min\)<\/dd>/,
    );
    expect(page).toContain("<dt>Résumé</dt><dd>Messagerie rétablie pour tous</dd>");
    r.clock.set(paris("2026-12-01T12:54"));
    expect((await s.get("/status")).text).toContain('<article class="resolved"');
    r.clock.set(paris("2026-12-01T12:56"));
    expect((await s.get("/status")).text).toContain("Aucune panne rétablie ces 7 derniers jours.");
  });

  it("GIVEN an outage declared from a requester's ticket, with channels and an owner THEN none of them is on the page, the JSON or the feed", async () => {
    await start();
    await r.at("2026-11-24T10:20");
    await r.say("/outage update INC-1 diagnostic Alice appelle Quentin", {
      form: { blocker: "ticket fournisseur #4471" },
    });
    await r.at("2026-11-24T10:40");
    await r.say("/outage resolve INC-1", { form: { whatHappened: "Alice a vidé le disque", result: "Rétabli" } });
    for (const path of ["/status", "/status.json", "/status.atom"]) {
      const text = (await s.get(path)).text;
      expect(text, path).toContain("Messagerie indisponible");
      for (const internal of ["Alice", "alice", "quentin", "Quentin", "T-1", "#support", "compta", "4471", "vidé"])
        expect(text, `${path} shows ${internal}`).not.toContain(internal);
    }
  });

  it("GIVEN showOwner in the policy THEN the owner is named", async () => {
    await start(withStatusPage({ enabled: true, showOwner: true, title: "Informatique — état" }));
    const page = (await s.get("/status")).text;
    expect(page).toContain("<dt>Responsable</dt><dd>Alice</dd>");
    expect(page).toContain("<title>Informatique — état</title>");
    expect(JSON.parse((await s.get("/status.json")).text).ongoing[0].owner).toBe("Alice");
  });

  it("GIVEN an outage titled with markup THEN every user text is escaped on the page, in the JSON as a string, in the feed", async () => {
    await start();
    await r.say("/outage declare", {
      form: { ...DECLARE, title: "<script>alert(1)</script>", services: `<img src=x onerror="alert(2)">` },
    });
    const page = (await s.get("/status")).text;
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img");
    // Only the page's own inline script may run.
    const csp = (await s.get("/status")).headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'sha256-[^']+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(JSON.parse((await s.get("/status.json")).text).ongoing[1].title).toBe("<script>alert(1)</script>");
    const feed = (await s.get("/status.atom")).text;
    expect(feed).toContain("INC-2 — &lt;script&gt;alert(1)&lt;/script&gt; : panne déclarée");
    expect(feed).not.toContain("<script>");
  });
});

describe("GET /status.json and /status.atom", () => {
  it("GIVEN an outage declared, updated and restored THEN the JSON has times in ISO with the zone, and the feed one entry per step", async () => {
    await start();
    const json = JSON.parse((await s.get("/status.json", "en")).text);
    expect(json).toMatchObject({ language: "en", timezone: "Europe/Paris", resolved: [] });
    expect(json.ongoing[0]).toMatchObject({
      ref: "INC-1",
      title: "Messagerie indisponible",
      services: "Exchange, webmail",
      stage: null,
      declaredAt: "2026-11-24T10:10:00.000+01:00",
      nextUpdateDue: "2026-11-24T11:10:00.000+01:00",
      nextUpdateText: "Tue 24 Nov 11:10 (Paris time)",
    });
    expect(json.ongoing[0]).not.toHaveProperty("owner");
    await r.at("2026-11-24T10:20");
    await r.say("/outage update INC-1 diagnostic lire les journaux");
    await r.at("2026-11-24T10:40");
    await r.say("/outage resolve INC-1", { form: { whatHappened: "Disque saturé", result: "Rétabli" } });
    const feed = await s.get("/status.atom");
    expect(feed.type).toBe("application/atom+xml; charset=utf-8");
    expect(feed.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/,
    );
    expect(feed.text).toContain("<id>tag:relais,2026:status</id>");
    expect(feed.text).toContain("<updated>2026-11-24T09:40:00Z</updated>");
    expect(feed.text).toContain(`<link rel="self" type="application/atom+xml" href="${s.base}/status.atom"/>`);
    const entries = [...feed.text.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]);
    expect(entries.map((e) => /<title>(.*)<\/title>/.exec(e)![1])).toEqual([
      "INC-1 — Messagerie indisponible : service rétabli",
      "INC-1 — Messagerie indisponible : point de situation",
      "INC-1 — Messagerie indisponible : panne déclarée",
    ]);
    for (const e of entries)
      expect(e).toMatch(/<id>tag:relais,2026:status:INC-1:\d+<\/id>[\s\S]*<updated>[^<]+Z<\/updated>/);
    expect(entries[1]).toContain("Étape : diagnostic. Prochain point : mar. 24 nov. 11:20 (heure de Paris).");
  });
});

describe("off unless the policy enables it", () => {
  it("GIVEN the shipped policy THEN the page, the JSON, the feed and the events all answer 404", async () => {
    await start(defaultPolicy());
    expect(defaultPolicy().statusPage).toEqual({ enabled: false, showOwner: false });
    for (const path of ["/status", "/status.json", "/status.atom", "/status/events"])
      expect((await s.get(path)).status, path).toBe(404);
    expect((await s.get("/healthz")).status).toBe(200);
  });
});

describe("the policy's statusPage", () => {
  it("GIVEN a mistake in it THEN the start stops with the field's path", () => {
    const bad = (statusPage: unknown) => () => parsePolicy(rawPolicy({ statusPage }), "test.yaml");
    expect(bad({ enabled: "yes" })).toThrow(/statusPage\.enabled/);
    expect(bad({ enabled: true, showOwners: true })).toThrow(/statusPage: Unrecognized key: "showOwners"/);
    expect(bad({ enabled: true, title: " " })).toThrow(/statusPage\.title/);
    expect(parsePolicy(rawPolicy({ statusPage: { enabled: true } })).statusPage).toEqual({
      enabled: true,
      showOwner: false,
    });
  });
});

describe("GET /status/events", () => {
  it("GIVEN a browser listening THEN it gets the page's version at once, and a new one when an update is posted", async () => {
    await start();
    const page = (await s.get("/status")).text;
    const version = /data-version="([^"]+)"/.exec(page)![1];
    const controller = new AbortController();
    const res = await fetch(`${s.base}/status/events`, { signal: controller.signal });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const next = async () => {
      let got = "";
      while (!got.includes("\n\n")) got += (await reader.read()).value ?? "";
      return /data: (\S+)/.exec(got)![1];
    };
    expect(await next()).toBe(version);
    await r.at("2026-11-24T10:20");
    await r.say("/outage update INC-1 diagnostic lire les journaux");
    const changed = await next();
    expect(changed).not.toBe(version);
    expect(changed).toBe(/data-version="([^"]+)"/.exec((await s.get("/status")).text)![1]);
    controller.abort();
  });

  it("GIVEN as many browsers listening as the limit THEN one more is refused with 503, and served once one leaves", async () => {
    await start(withStatusPage(), { maxStreams: 1 });
    const first = new AbortController();
    const res = await fetch(`${s.base}/status/events`, { signal: first.signal });
    expect(res.status).toBe(200);
    const refused = await fetch(`${s.base}/status/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("60");
    first.abort();
    await expect
      .poll(async () => {
        const again = await fetch(`${s.base}/status/events`);
        await again.body?.cancel();
        return again.status;
      })
      .toBe(200);
  });
});
