import { describe, expect, it } from "vitest";
import { escapeHtml, escapeXml } from "../../src/status-page/escape.ts";
import { pickLang } from "../../src/status-page/snapshot.ts";

describe("escapeHtml", () => {
  it("GIVEN a text with markup THEN every character that could open a tag, an entity or leave a quoted attribute is escaped", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;",
    );
    // Already-escaped text is escaped again: what was typed is what is shown.
    expect(escapeHtml("&lt;b&gt;")).toBe("&amp;lt;b&amp;gt;");
    expect(escapeHtml("Messagerie indisponible — siège")).toBe("Messagerie indisponible — siège");
  });
});

describe("escapeXml", () => {
  it("GIVEN control characters XML 1.0 forbids THEN they are dropped (a feed reader refuses the whole feed for one), markup escaped", () => {
    expect(escapeXml("VPN\u0000 coupé\u0007 <b>\tà\n10h")).toBe("VPN coupé &lt;b&gt;\tà\n10h");
  });
});

describe("the page's language from Accept-Language", () => {
  it("GIVEN the browser's preferences THEN the first of French and English by weight, else the policy's language", () => {
    expect(pickLang("en-GB,en;q=0.9,fr;q=0.8", "fr")).toBe("en");
    expect(pickLang("de-DE,fr;q=0.5,en;q=0.3", "en")).toBe("fr");
    expect(pickLang("fr;q=0.2, en;q=0.7", "fr")).toBe("en");
    expect(pickLang("fr;q=0, en", "fr")).toBe("en");
    expect(pickLang("de, *;q=0.5", "fr")).toBe("fr");
    expect(pickLang(undefined, "en")).toBe("en");
  });
});
