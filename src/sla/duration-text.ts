import type { Texts } from "../i18n/index.ts";
import type { Target } from "./duration.ts";

/** A policy duration as people read it: "2 h", "1–2 jours ouvrés", "rétablissement ASAP". */
export function durationText(x: Texts, d: Target): string {
  if (d === "ASAP") return x.t("sla.asap");
  const n = d.min === d.max ? String(d.max) : x.t("duration.range", { min: d.min, max: d.max });
  return x.t(`duration.${d.unit}`, { n });
}
