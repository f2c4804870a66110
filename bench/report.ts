import type { Summary } from "./stats.ts";

/** Printing helpers shared by every bench section. */

/** One ratio between two measurements, checked against a ceiling. */
export interface Check {
  label: string;
  ratio: number;
  max: number;
  ok: boolean;
}

export function section(title: string): void {
  console.log(`\n== ${title} ${"=".repeat(Math.max(0, 72 - title.length))}`);
}

const ms = (v: number) => v.toFixed(3);

/** A fixed-width table of summaries, one row per labelled measurement. */
export function printTable(rows: ReadonlyArray<{ label: string; s: Summary }>): void {
  const header = ["measurement", "n", "ops/s", "p50 ms", "p99 ms", "mean ms", "max ms"];
  const body = rows.map(({ label, s }) => [
    label,
    String(s.n),
    s.perSec.toFixed(0),
    ms(s.p50),
    ms(s.p99),
    ms(s.mean),
    ms(s.max),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(line(r));
}

/** Prints `label = 1.04x (target: flat, < 1.5x)` and flags a miss with ABOVE TARGET. */
export function ratioCheck(label: string, big: number, small: number, max: number): Check {
  const ratio = big / small;
  const ok = Number.isFinite(ratio) && ratio < max;
  console.log(`${label} = ${ratio.toFixed(2)}x (target: flat, < ${max}x)${ok ? "" : "   <<< ABOVE TARGET"}`);
  return { label, ratio, max, ok };
}

/** Prints `label = 812 ms (budget 1000 ms, 0.81x)` and flags a miss with ABOVE TARGET. */
export function budgetCheck(label: string, value: number, budget: number, unit: string): Check {
  const ratio = value / budget;
  const ok = Number.isFinite(ratio) && ratio <= 1;
  const shown = value >= 100 ? value.toFixed(0) : value.toFixed(1);
  console.log(
    `${label} = ${shown} ${unit} (budget ${budget} ${unit}, ${ratio.toFixed(2)}x)${ok ? "" : "   <<< ABOVE TARGET"}`,
  );
  return { label, ratio, max: 1, ok };
}

export function formatBytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
