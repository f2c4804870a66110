import type { DateTime } from "luxon";
import { en } from "./en.ts";
import { fr, type MessageKey } from "./fr.ts";

export type Lang = "fr" | "en";
export const LANGS: readonly Lang[] = ["fr", "en"];
export type { MessageKey };

const catalogs: Record<Lang, Record<MessageKey, string>> = { fr, en };

export type Params = Record<string, string | number | undefined>;

/** The message `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return catalogs[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function hasKey(key: string): key is MessageKey {
  return key in fr;
}

/** A translator bound to one language and time zone: what every reply is written with. */
export interface Texts {
  lang: Lang;
  zone: string;
  t(key: MessageKey, params?: Params): string;
  /** A date and time as people read it, in the policy's zone: "lun. 30 nov. 14:30". */
  time(d: DateTime): string;
}

export function texts(lang: Lang, zone: string): Texts {
  return {
    lang,
    zone,
    t: (key, params) => t(lang, key, params),
    time: (d) =>
      d
        .setZone(zone)
        .setLocale(lang === "fr" ? "fr-FR" : "en-GB")
        .toFormat("ccc d LLL HH:mm"),
  };
}

/**
 * A time as people read it (PRODUCT "Times people can read"): the date only when it is not the day
 * of `now`, and the time zone stated once — "14:30 (Europe/Paris)", "ven. 27 nov. 10:00 (Europe/Paris)".
 */
export function readableTime(x: Texts, d: DateTime, now: DateTime): string {
  const today = d.setZone(x.zone).hasSame(now.setZone(x.zone), "day");
  return `${today ? d.setZone(x.zone).toFormat("HH:mm") : x.time(d)} (${x.zone})`;
}
