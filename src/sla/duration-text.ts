import type { Texts } from "../i18n/index.ts";
import type { Target } from "./duration.ts";

/** A policy duration as people read it: "2 h", "1–2 jours ouvrés", "rétablissement ASAP". */
export function durationText(x: Texts, d: Target): string {
  if (d === "ASAP") return x.t("sla.asap");
  const text = x.t(`duration.${d.unit}`, { n: d.max });
  if (d.min === d.max) return text;
  // A range takes the plural of its upper bound ("1–2 jours ouvrés"), its number written as the range.
  return text.replace(String(d.max), x.t("duration.range", { min: d.min, max: d.max }));
}
