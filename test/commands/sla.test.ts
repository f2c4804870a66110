import { describe, expect, it } from "vitest";
import { relaisPerTest } from "../helpers.ts";
import { paris, variant } from "../support/fixtures.ts";

const start = relaisPerTest();

/** The hand-typed list the policy shipped until November 2026: 8 May typed before 6 May (Ascension). */
const HAND_LIST = [
  "2026-11-11",
  "2026-12-25",
  "2027-01-01",
  "2027-03-29",
  "2027-05-01",
  "2027-05-08",
  "2027-05-06",
  "2027-05-17",
  "2027-07-14",
];

describe("/sla — the grid", () => {
  it("GIVEN resolution targets given as ranges (1-2bd, 3-5bd) THEN they read as words, plural, in both languages", async () => {
    const r = await start();
    const fr = await r.text("/sla");
    expect(fr).toContain("P2 · heures ouvrées · 1re réponse 2 h · mise à jour 4 h · cible 1–2 jours ouvrés");
    expect(fr).toContain("P3 · heures ouvrées · 1re réponse 8 h · mise à jour 1 jour ouvré · cible 3–5 jours ouvrés");
    expect(fr).not.toContain("plural");
    const en = await r.text("/sla", { lang: "en" });
    expect(en).toContain("P2 · business hours · first response 2 h · update 4 h · target 1–2 business days");
  });
});

describe("/sla — upcoming holidays", () => {
  it("GIVEN a hand-typed list out of order THEN /sla lists them in date order and skips none (6 May was dropped)", async () => {
    const r = await start({ now: paris("2026-11-28T10:00"), policy: variant({ holidays: HAND_LIST }) });
    const text = await r.text("/sla");
    const shown = ["25 déc. 2026", "1 janv. 2027", "29 mars 2027", "1 mai 2027", "6 mai 2027", "8 mai 2027"];
    const at = shown.map((d) => text.indexOf(d));
    expect(
      at.every((i) => i >= 0),
      text,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).not.toContain("11 nov. 2026");
  });

  it("GIVEN holidays: { country: FR } on Saturday 28 November 2026 THEN the next ten, in order, named in French", async () => {
    const r = await start({ now: paris("2026-11-28T10:00"), policy: variant({ holidays: { country: "FR" } }) });
    expect(holidayLines(await r.text("/sla"))).toEqual([
      "Prochains jours fériés (FR) :",
      "• ven. 25 déc. 2026 · Noël",
      "• ven. 1 janv. 2027 · Nouvel An",
      "• lun. 29 mars 2027 · Lundi de Pâques",
      "• sam. 1 mai 2027 · Fête du travail",
      "• jeu. 6 mai 2027 · Ascension",
      "• sam. 8 mai 2027 · Fête de la Victoire 1945",
      "• lun. 17 mai 2027 · Lundi de Pentecôte",
      "• mer. 14 juil. 2027 · Fête Nationale de la France",
      "• dim. 15 août 2027 · Assomption",
      "• lun. 1 nov. 2027 · Toussaint",
    ]);
  });

  it("GIVEN the same in English THEN the names and dates are English", async () => {
    const r = await start({ now: paris("2026-11-28T10:00"), policy: variant({ holidays: { country: "FR" } }) });
    expect(holidayLines(await r.text("/sla", { lang: "en" })).slice(0, 4)).toEqual([
      "Next holidays (FR):",
      "• Fri 25 Dec 2026 · Christmas Day",
      "• Fri 1 Jan 2027 · New Year's Day",
      "• Mon 29 Mar 2027 · Easter Monday",
    ]);
  });

  it("GIVEN region 57, a bridge day in extra and Whit Monday in except THEN /sla shows them so", async () => {
    const policy = variant({
      holidays: { country: "FR", region: "57", extra: ["2027-05-07"], except: ["2027-05-17"] },
    });
    const r = await start({ now: paris("2027-03-01T10:00"), policy });
    expect(holidayLines(await r.text("/sla")).slice(0, 8)).toEqual([
      "Prochains jours fériés (FR 57) :",
      "• ven. 26 mars 2027 · Vendredi saint",
      "• lun. 29 mars 2027 · Lundi de Pâques",
      "• sam. 1 mai 2027 · Fête du travail",
      "• jeu. 6 mai 2027 · Ascension",
      "• ven. 7 mai 2027 · fermeture de l’équipe",
      "• sam. 8 mai 2027 · Fête de la Victoire 1945",
      "• mer. 14 juil. 2027 · Fête Nationale de la France",
    ]);
  });

  it("GIVEN a hand list with only past dates THEN /sla says no holiday is known for the next 12 months", async () => {
    const r = await start({
      now: paris("2026-11-28T10:00"),
      policy: variant({ holidays: ["2026-05-14", "2026-11-11"] }),
    });
    const text = await r.text("/sla", { lang: "en" });
    expect(text).toContain("No holiday known in the next 12 months: business deadlines count them as open days.");
    expect(text).not.toContain("Next holidays");
  });
});

/** The holidays heading and its list items, as the shell prints them. */
function holidayLines(text: string): string[] {
  const lines = text.split("\n").map((l) => l.trim());
  const from = lines.findIndex((l) => /^(Prochains jours fériés|Next holidays)/.test(l));
  const rest = lines.slice(from + 1);
  const end = rest.findIndex((l) => !l.startsWith("• "));
  return [lines[from]!, ...rest.slice(0, end)];
}
