import { DateTime } from "luxon";
import { en } from "./en.ts";
import { fr, type MessageKey } from "./fr.ts";

export type Lang = "fr" | "en";
export const LANGS: readonly Lang[] = ["fr", "en"];
export type { MessageKey };

const catalogs: Record<Lang, Record<MessageKey, string>> = { fr, en };
const LOCALES: Record<Lang, string> = { fr: "fr-FR", en: "en-GB" };

export type Params = Record<string, string | number | undefined>;

/**
 * ICU plurals in a message: `{count, plural, one {# canal} other {# canaux}}`, the form chosen by
 * `Intl.PluralRules` for the language (French: 0 and 1 are singular; English: only 1), `#` the number.
 * An exact form (`=0 {…}`) wins over the category.
 */
const PLURAL = /\{(\w+),\s*plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;

function plurals(lang: Lang, text: string, params: Params): string {
  return text.replace(PLURAL, (whole, name: string, body: string) => {
    const n = Number(params[name]);
    if (params[name] === undefined || !Number.isFinite(n)) return whole;
    const forms: Record<string, string> = {};
    for (const m of body.matchAll(/(=\d+|\w+)\s*\{([^{}]*)\}/g)) forms[m[1]!] = m[2]!;
    const form = forms[`=${n}`] ?? forms[new Intl.PluralRules(LOCALES[lang]).select(n)] ?? forms.other ?? whole;
    return form.replace(/#/g, String(n));
  });
}

/** The message `key` in `lang`, with its plurals chosen and `{name}` placeholders filled from `params`. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return plurals(lang, catalogs[lang][key], params).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function hasKey(key: string): key is MessageKey {
  return key in fr;
}

/** Anything that tells the time (the injected clock: never the wall clock here). */
export interface Now {
  now(): DateTime;
}

/** A writer of the times of one post: see `Texts.moments`. */
export type Moments = (d: DateTime) => string;

/** A translator bound to one language and time zone: what every reply is written with. */
export interface Texts {
  lang: Lang;
  zone: string;
  t(key: MessageKey, params?: Params): string;
  /** A date and time as people read it, in the policy's zone: "lun. 30 nov. 14:30". */
  time(d: DateTime): string;
  /** A calendar day as people read it, with its year: "ven. 25 déc. 2026", "Fri 25 Dec 2026". */
  day(isoDate: string): string;
  /** The zone as people say it: "heure de Paris", "Paris time". */
  zoneName(): string;
  /**
   * The times of one post (PRODUCT "Times people can read"): the first one written states the zone,
   * "14:30 (heure de Paris)", the others not; each shows its date only when it is not the day of
   * `now` in the policy's zone ("ven. 27 nov. 10:00"). Without a clock, every time shows its date.
   * `zoneStated`: the post states the zone elsewhere already (an escalation note's subject).
   */
  moments(now?: DateTime, zoneStated?: boolean): Moments;
}

/** The city of an IANA zone as people read it: "Europe/Paris" → "Paris", "America/New_York" → "New York". */
export function zoneCity(zone: string): string {
  if (/^(?:Etc\/)?(?:UTC|GMT|Z|Zulu|Universal)$/i.test(zone)) return "UTC";
  return (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

function zoneName(lang: Lang, zone: string): string {
  const city = zoneCity(zone);
  if (city === "UTC") return t(lang, "time.zone_utc");
  // "heure d’Amsterdam", "heure de Paris".
  const elided = lang === "fr" && /^[aeiouyhâéèêîôûAEIOUYHÂÉÈÊÎÔÛ]/.test(city);
  return t(lang, elided ? "time.zone_elided" : "time.zone", { city });
}

/**
 * Times written to the minute, kept by language, zone, pattern and minute: every reply writes a
 * ticket's deadlines, and luxon's formatting was a tenth of a ticket's creation (issue 16).
 */
const written = new Map<string, string>();
const WRITTEN_KEPT = 4096;

function writeTime(d: DateTime, lang: Lang, zone: string, pattern: string): string {
  const key = `${lang}|${zone}|${pattern}|${Math.floor(d.toMillis() / 60_000)}`;
  let text = written.get(key);
  if (text === undefined) {
    if (written.size >= WRITTEN_KEPT) written.clear();
    text = d.setZone(zone).setLocale(LOCALES[lang]).toFormat(pattern);
    written.set(key, text);
  }
  return text;
}

export function texts(lang: Lang, zone: string, clock?: Now): Texts {
  const time = (d: DateTime) => writeTime(d, lang, zone, "ccc d LLL HH:mm");
  return {
    lang,
    zone,
    t: (key, params) => t(lang, key, params),
    time,
    day: (isoDate) => DateTime.fromISO(isoDate, { zone }).setLocale(LOCALES[lang]).toFormat("ccc d LLL yyyy"),
    zoneName: () => zoneName(lang, zone),
    moments(at, zoneStated = false) {
      const now = (at ?? clock?.now())?.setZone(zone);
      let stated = zoneStated;
      return (d) => {
        const local = d.setZone(zone);
        // Same local date, compared by fields (luxon's hasSame builds four DateTimes per call).
        const today = now && local.day === now.day && local.month === now.month && local.year === now.year;
        const text = today ? writeTime(d, lang, zone, "HH:mm") : time(d);
        if (stated) return text;
        stated = true;
        return `${text} (${zoneName(lang, zone)})`;
      };
    },
  };
}

/** One time in a post of its own: its date when not today, its zone. */
export function readableTime(x: Texts, d: DateTime, now: DateTime): string {
  return x.moments(now)(d);
}
