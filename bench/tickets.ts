import { commands } from "../commands/index.ts";
import { handleLine } from "../src/kit/dispatch.ts";
import type { Reply } from "../src/reply.ts";
import { OPEN_STATUSES } from "../src/tickets/model.ts";
import { COUNT_AHEAD } from "../src/tickets/service.ts";
import { openBenchApp, type BenchApp } from "./app.ts";
import { printTable, ratioCheck, section, type Check } from "./report.ts";
import { seedOpenTickets } from "./seed.ts";
import { measurePair, type Summary } from "./stats.ts";

/**
 * `/ticket <title>` and `/ticket list` through the command layer. The queue (`/ticket list`, and
 * `/ticket list all`, which pages too) with 1,000 then 100,000 open tickets in the table; creation
 * with 1,000 and 10,000 (two tables, a call to each in turn). The open tickets are written in bulk SQL (bench/seed.ts): the same rows
 * the service writes, in seconds. Neither should get slower as the table grows.
 */

const LIST_SIZES = [1_000, 100_000] as const;
const CREATE_SIZES = [1_000, 10_000] as const;
const ITERATIONS = 500;
const WARMUP = 50;
/** Ceiling for the big/small latency ratios: "flat" with room for noise. */
const MAX_RATIO = 1.5;

const CREATE_LINE = "/ticket Imprimante bloquée au 2e étage";
const LIST_LINES = { open: "/ticket list", all: "/ticket list all" } as const;

export interface TicketsResult {
  checks: Check[];
}

export async function ticketsBench(): Promise<TicketsResult> {
  section(
    `/ticket list (open, all) at ${LIST_SIZES.map(k).join(" vs ")} open tickets; /ticket <title> at ${CREATE_SIZES.map(k).join(" vs ")}`,
  );
  // The small table (where creation is measured too) and the big one, side by side: the queue is
  // read from each in turn, so the machine's noise falls on both sizes alike.
  const small = await openBenchApp();
  const big = await openBenchApp();
  // Creation likewise, at 1k (the small table) and 10k (a third) in turn.
  const mid = await openBenchApp();
  try {
    const rows: Array<{ label: string; s: Summary }> = [];
    const create = new Map<number, Summary>();
    const list = { open: new Map<number, Summary>(), all: new Map<number, Summary>() };
    const counts = new Map<BenchApp, number>([
      [small, 0],
      [big, 0],
      [mid, 0],
    ]);
    const seedTo = async (app: BenchApp, size: number) => {
      const seedMs = await seedOpenTickets(app, size - counts.get(app)!);
      counts.set(app, size);
      console.log(
        `seeded in SQL to ${k(size)} open tickets (${(seedMs / 1000).toFixed(1)} s); process RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`,
      );
    };
    await seedTo(small, LIST_SIZES[0]);
    await seedTo(big, LIST_SIZES[1]);
    // While the tables hold exactly 1k and 100k open tickets (listing writes nothing).
    for (const filter of ["open", "all"] as const) {
      const line = LIST_LINES[filter];
      const pair = await measurePair(
        [() => listOnce(small, line, LIST_SIZES[0]), () => listOnce(big, line, LIST_SIZES[1])],
        { iterations: ITERATIONS, warmup: WARMUP },
      );
      for (const [i, size] of LIST_SIZES.entries()) {
        list[filter].set(size, pair[i]!);
        rows.push({ label: `list ${filter.padEnd(4)} @ ${k(size)} open`, s: pair[i]! });
      }
    }
    await seedTo(mid, CREATE_SIZES[1]);
    // The seeding's and the listing's garbage collected first (node runs with --expose-gc), not in
    // the middle of the creations, where its pauses landed on one table or the other.
    (globalThis as { gc?: () => void }).gc?.();
    // Every call adds a ticket, so each table grows by WARMUP + ITERATIONS here.
    const creates = await measurePair([() => createOnce(small), () => createOnce(mid)], {
      iterations: ITERATIONS,
      warmup: WARMUP,
    });
    for (const [i, size] of CREATE_SIZES.entries()) {
      const app = i === 0 ? small : mid;
      counts.set(app, counts.get(app)! + WARMUP + ITERATIONS);
      create.set(size, creates[i]!);
      rows.push({ label: `create @ ${k(size)} (+${WARMUP + ITERATIONS})`, s: creates[i]! });
    }
    for (const app of [small, big, mid]) {
      const total = await app.relais.store.tickets.count({ statuses: OPEN_STATUSES });
      if (total !== counts.get(app))
        throw new Error(`expected ${counts.get(app)} tickets in the table, found ${total}`);
    }

    console.log();
    printTable(rows);
    console.log(
      "ops/s: tickets created per second (create), queue pages per second (list; the two sizes in turn); one call at a time",
    );
    console.log();
    const ratio = (name: string, m: Map<number, Summary>, sizes: readonly [number, number], stat: "p50" | "p99") =>
      ratioCheck(
        `${name} ${stat} ${k(sizes[1])}/${k(sizes[0])}`,
        m.get(sizes[1])![stat],
        m.get(sizes[0])![stat],
        MAX_RATIO,
      );
    const checks = [
      ratio("create", create, CREATE_SIZES, "p50"),
      ratio("create", create, CREATE_SIZES, "p99"),
      ratio("list", list.open, LIST_SIZES, "p50"),
      ratio("list", list.open, LIST_SIZES, "p99"),
      ratio("list all", list.all, LIST_SIZES, "p50"),
      ratio("list all", list.all, LIST_SIZES, "p99"),
    ];
    return { checks };
  } finally {
    await small.close();
    await big.close();
    await mid.close();
  }
}

async function createOnce(app: BenchApp): Promise<void> {
  const r = await handleLine(CREATE_LINE, commands, app.ctx);
  expectOk(CREATE_LINE, r);
  if (r.ticketId === undefined) throw new Error(`${CREATE_LINE}: no ticket id in the reply`);
}

async function listOnce(app: BenchApp, line: string, open: number): Promise<void> {
  const r = await handleLine(line, commands, app.ctx);
  expectOk(line, r);
  // The header carries the total (counted up to COUNT_AHEAD past the page: "1000+" beyond); the
  // list block the first page of the queue.
  const counted = open <= COUNT_AHEAD + 50 ? String(open) : `${COUNT_AHEAD}+`;
  const header = r.blocks[0];
  const items = r.blocks.find((b) => b.type === "list");
  if (
    header?.type !== "header" ||
    !header.text.includes(counted) ||
    items?.type !== "list" ||
    items.items.length === 0
  ) {
    throw new Error(`${line}: unexpected reply ${JSON.stringify(r.blocks).slice(0, 300)}`);
  }
}

function expectOk(line: string, r: Reply): void {
  if (r.error !== undefined) throw new Error(`${line} failed (${r.error}): ${JSON.stringify(r.blocks)}`);
}

function k(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}
