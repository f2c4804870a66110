import type { DateTime } from "luxon";
import type { Channels, Person, Values } from "./command.ts";

/** Typed reads of parsed values (the parser already checked each one against its Param). */
export const read = {
  ref: (v: Values, id = "ref") => v[id] as number,
  str: (v: Values, id: string) => v[id] as string | undefined,
  choice: <T extends string>(v: Values, id: string) => v[id] as T | undefined,
  time: (v: Values, id: string) => v[id] as DateTime | undefined,
  person: (v: Values, id: string) => v[id] as Person | undefined,
  channels: (v: Values, id: string) => v[id] as Channels | undefined,
  /** The optional text values among `keys` that were given, to pass straight to the domain. */
  texts<K extends string>(v: Values, keys: readonly K[]): Partial<Record<K, string>> {
    const out: Partial<Record<K, string>> = {};
    for (const k of keys) if (typeof v[k] === "string") out[k] = v[k] as string;
    return out;
  },
};
