// The parser ships its types as an ambient module declaration, not named by its package.json.
/// <reference path="../../node_modules/date-holidays-parser/types/index.d.ts" />
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Holidays from "date-holidays-parser";

/**
 * date-holidays' rules, read from its data file when asked for instead of imported: the package's
 * module holds every country's rules (800 KB of source, about 20 MiB of memory once loaded, kept
 * for the life of the process), while a calendar needs one country's (2 KB). Each call reads and
 * parses the file (a few milliseconds, at start) and keeps only what it returns (issue 16).
 */
interface HolidayData {
  version: string;
  license: string;
  holidays: Record<string, unknown>;
  names: Record<string, unknown>;
}

export type { Holidays };

function readRules(): HolidayData {
  const pkg = createRequire(import.meta.url).resolve("date-holidays/package.json");
  return JSON.parse(readFileSync(join(dirname(pkg), "data", "holidays.json"), "utf8")) as HolidayData;
}

/** A holiday generator for one country (and region), holding that country's rules only. */
export function holidaysOf(country: string, region: string | null, zone: string): Holidays {
  const all = readRules();
  const code = country.toUpperCase();
  const data: HolidayData = { ...all, holidays: code in all.holidays ? { [code]: all.holidays[code] } : {} };
  const options = { timezone: zone, languages: ["fr", "en"] };
  return region ? new Holidays(data, code, region, options) : new Holidays(data, code, options);
}

/** A generator over every country's rules, to check a policy's country and region (then let go). */
export function everyCountry(): Holidays {
  return new Holidays(readRules());
}
