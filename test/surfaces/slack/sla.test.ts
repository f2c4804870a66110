import { afterEach, describe, expect, it } from "vitest";
import { variant } from "../../support/fixtures.ts";
import { startSlackHarness, type SlackHarness } from "./harness.ts";

let h: SlackHarness;
afterEach(() => h.close());

describe("Slack: /sla", () => {
  it("GIVEN holidays generated for FR region 57 THEN the person sees the next ones in order, named, privately", async () => {
    h = await startSlackHarness({ policy: variant({ holidays: { country: "FR", region: "57" } }) }); // Tuesday 24 November 2026
    const res = await h.command("", {}, "/sla");
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.some((x) => x.method.startsWith("response/")), "ephemeral respond");
    const responded = h.slack.calls.find((x) => x.method.startsWith("response/"))!;
    expect(responded.body.response_type).toBe("ephemeral");
    const seen = JSON.stringify(responded.body.blocks);
    const days = [
      "Prochains jours fériés (FR 57)",
      "ven. 25 déc. 2026 · Noël",
      "sam. 26 déc. 2026 · Lendemain de Noël",
      "ven. 1 janv. 2027 · Nouvel An",
      "ven. 26 mars 2027 · Vendredi saint",
      "lun. 29 mars 2027 · Lundi de Pâques",
    ];
    const at = days.map((d) => seen.indexOf(d));
    expect(
      at.every((i) => i >= 0),
      seen,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(h.slack.of("chat.postMessage")).toHaveLength(0);
  });
});
