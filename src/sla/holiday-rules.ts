// The parser ships its types as an ambient module declaration, not named by its package.json.
/// <reference path="../../node_modules/date-holidays-parser/types/index.d.ts" />
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Holidays from "date-holidays-parser";

/**
 * date-holidays' rules, read from its data file when asked for instead of imported: the package's
 * module holds every country's rules (800 KB of source, about 20 MiB of memory once loaded, kept
 * for the life of the process), while a calendar needs one country's (2 KB). The file is read and
 * parsed once per country asked for (about 10 ms), and only that country's rules are kept: a start
 * asks for the policy's country five times (its check, its `except` days, the start's checks, the
 * SLA clock), which cost five parses before (issue 16: start to listening).
 */
interface HolidayData {
  version: string;
  license: string;
  holidays: Record<string, unknown>;
  names: Record<string, unknown>;
}

export type { Holidays };

/** Each country's rules as read, by upper-case code (no rules for a code date-holidays does not know). */
const rulesByCountry = new Map<string, HolidayData>();

function rulesOf(code: string): HolidayData {
  let rules = rulesByCountry.get(code);
  if (!rules) {
    const pkg = createRequire(import.meta.url).resolve("date-holidays/package.json");
    const all = JSON.parse(readFileSync(join(dirname(pkg), "data", "holidays.json"), "utf8")) as HolidayData;
    rules = { ...all, holidays: Object.hasOwn(all.holidays, code) ? { [code]: all.holidays[code] } : {} };
    rulesByCountry.set(code, rules);
  }
  return rules;
}

/** A holiday generator for one country (and region), holding that country's rules only. */
export function holidaysOf(country: string, region: string | null, zone: string): Holidays {
  const code = country.toUpperCase();
  const options = { timezone: zone, languages: ["fr", "en"] };
  return region ? new Holidays(rulesOf(code), code, region, options) : new Holidays(rulesOf(code), code, options);
}

/**
 * A generator over `country`'s rules alone, to check a policy's country and region: its
 * `getCountries` lists that country when date-holidays knows it, and nothing otherwise.
 */
export function countryRules(country: string): Holidays {
  return new Holidays(rulesOf(country.toUpperCase()));
}
