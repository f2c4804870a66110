/**
 * Durations as the policy writes them: `30m`, `2h`, `10s` (for drills and tests), `2bd` (business days), `1-2bd` (a range whose
 * deadline is the upper bound, seed 002 "1–2 jours ouvrés") or `ASAP` (no deadline).
 */
export type DurationUnit = "s" | "m" | "h" | "bd";

export interface PolicyDuration {
  /** The text as written, for error messages. */
  readonly source: string;
  readonly unit: DurationUnit;
  /** Lower bound of a range; equal to `max` for a single value. */
  readonly min: number;
  /** The value a deadline is computed from. */
  readonly max: number;
}

export type Target = PolicyDuration | "ASAP";

const pattern = /^(\d+)(?:-(\d+))?\s*(s|m|min|h|bd)$/;

export function parseDuration(text: string): PolicyDuration | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min || max === 0) return undefined;
  const unit = (m[3] === "min" ? "m" : m[3]) as DurationUnit;
  return { source: text, unit, min, max };
}

export function parseTarget(text: string): Target | undefined {
  return text.trim().toUpperCase() === "ASAP" ? "ASAP" : parseDuration(text);
}

/** Minutes of a duration counted in minutes or hours (not business days). */
export function durationMinutes(d: PolicyDuration, which: "min" | "max" = "max"): number {
  const n = d[which];
  return d.unit === "h" ? n * 60 : d.unit === "m" ? n : d.unit === "s" ? n / 60 : NaN;
}
