import { commands } from "../commands/index.ts";
import { handleLine } from "../src/kit/dispatch.ts";
import type { Reply } from "../src/reply.ts";
import type { Assessment } from "../src/tickets/priority.ts";
import { openBenchApp, type BenchApp } from "./app.ts";
import { printTable, ratioCheck, section, type Check } from "./report.ts";
import { measure, type Summary } from "./stats.ts";

/**
 * `/ticket <title>` and `/ticket list` through the command layer, with 1,000 then 10,000 open
 * tickets already in the table: neither should get slower as the table grows.
 */

const SIZES = [1_000, 10_000] as const;
const ITERATIONS = 500;
const WARMUP = 50;
/** Ceiling for the 10k/1k latency ratios: "flat" with room for noise. */
const MAX_RATIO = 1.5;

const CREATE_LINE = "/ticket Imprimante bloquée au 2e étage";
const LIST_LINE = "/ticket list";

/** A mix of assessments so the queue holds P1, P2 and P3 tickets (and some default P3). */
const ASSESSMENTS: ReadonlyArray<Assessment | undefined> = [
  { impact: "high", urgency: "high", workaround: "none" }, // P1
  { impact: "medium", urgency: "medium", workaround: "partial" }, // P2
  { impact: "high", urgency: "medium", workaround: "partial" }, // P2
  { impact: "low", urgency: "low", workaround: "full" }, // P3
  undefined, // default priority (P3)
  undefined,
];
const TITLES = [
  "VPN coupé",
  "Écran noir au démarrage",
  "Messagerie lente",
  "Accès au dossier partagé refusé",
  "Imprimante hors ligne",
];

export interface TicketsResult {
  checks: Check[];
}

export async function ticketsBench(): Promise<TicketsResult> {
  section(`/ticket <title> and /ticket list at ${SIZES.map(k).join(" vs ")} open tickets`);
  const app = await openBenchApp();
  try {
    const rows: Array<{ label: string; s: Summary }> = [];
    const create = new Map<number, Summary>();
    const list = new Map<number, Summary>();
    let count = 0;
    for (const size of SIZES) {
      const seedStart = performance.now();
      count = await seed(app, count, size);
      const seedMs = performance.now() - seedStart;
      console.log(
        `seeded to ${size} open tickets (${(seedMs / 1000).toFixed(1)} s); process RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`,
      );

      // The queue first, while the table holds exactly `size` open tickets (listing writes nothing).
      const l = await measure(() => listOnce(app, size), { iterations: ITERATIONS, warmup: WARMUP });
      list.set(size, l);
      rows.push({ label: `list   @ ${k(size)} open`, s: l });

      // Then creation; every call adds a ticket, so the table grows by WARMUP + ITERATIONS here.
      const c = await measure(() => createOnce(app), { iterations: ITERATIONS, warmup: WARMUP });
      count += WARMUP + ITERATIONS;
      create.set(size, c);
      rows.push({ label: `create @ ${k(size)} (+${WARMUP + ITERATIONS})`, s: c });
    }
    const total = (await app.relais.services.tickets.list(app.ctx.actor, "all", 1)).total;
    if (total !== count) throw new Error(`expected ${count} tickets in the table, found ${total}`);

    console.log();
    printTable(rows);
    console.log("ops/s: tickets created per second (create), queue queries per second (list); one call at a time");
    console.log();
    const [small, big] = SIZES;
    const ratio = (name: string, m: Map<number, Summary>, stat: "p50" | "p99") =>
      ratioCheck(`${name} ${stat} ${k(big)}/${k(small)}`, m.get(big)![stat], m.get(small)![stat], MAX_RATIO);
    const checks = [
      ratio("create", create, "p50"),
      ratio("create", create, "p99"),
      ratio("list", list, "p50"),
      ratio("list", list, "p99"),
    ];
    return { checks };
  } finally {
    await app.close();
  }
}

/** Adds tickets through the ticket service until the table holds `target`; returns the new count. */
async function seed(app: BenchApp, from: number, target: number): Promise<number> {
  const tickets = app.relais.services.tickets;
  for (let i = from; i < target; i++) {
    const assessment = ASSESSMENTS[i % ASSESSMENTS.length];
    await tickets.create(
      { id: `U-${i % 37}`, name: `Agent ${i % 37}` },
      { title: `${TITLES[i % TITLES.length]} #${i + 1}`, ...(assessment ? { assessment } : {}) },
    );
  }
  return Math.max(from, target);
}

async function createOnce(app: BenchApp): Promise<void> {
  const r = await handleLine(CREATE_LINE, commands, app.ctx);
  expectOk(CREATE_LINE, r);
  if (r.ticketId === undefined) throw new Error(`${CREATE_LINE}: no ticket id in the reply`);
}

async function listOnce(app: BenchApp, open: number): Promise<void> {
  const r = await handleLine(LIST_LINE, commands, app.ctx);
  expectOk(LIST_LINE, r);
  // The header carries the total; the list block the first page of the queue.
  const header = r.blocks[0];
  const items = r.blocks.find((b) => b.type === "list");
  if (
    header?.type !== "header" ||
    !header.text.includes(String(open)) ||
    items?.type !== "list" ||
    items.items.length === 0
  ) {
    throw new Error(`${LIST_LINE}: unexpected reply ${JSON.stringify(r.blocks).slice(0, 300)}`);
  }
}

function expectOk(line: string, r: Reply): void {
  if (r.error !== undefined) throw new Error(`${line} failed (${r.error}): ${JSON.stringify(r.blocks)}`);
}

function k(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}
