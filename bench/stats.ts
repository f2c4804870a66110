/** Timing helpers shared by every bench section. */

export interface Summary {
  /** Number of timed calls. */
  n: number;
  /** Latencies in milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  /** Wall time of the whole measured loop, in milliseconds. */
  totalMs: number;
  /** Calls completed per second over the measured loop (sequential calls). */
  perSec: number;
}

/** Nearest-rank percentile of already sorted samples (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[], totalMs: number): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sum / sorted.length,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    totalMs,
    perSec: (sorted.length / totalMs) * 1000,
  };
}

/**
 * Runs `fn` `warmup` times untimed, then `iterations` times timed one after the other, with a turn
 * of the event loop between calls (`loopTurn`). `fn` throws when its result is wrong, so a failing
 * call is never counted as a fast one.
 */
export async function measure(
  fn: (i: number) => Promise<void>,
  opts: { iterations: number; warmup: number },
): Promise<Summary> {
  for (let i = 0; i < opts.warmup; i++) {
    await fn(i);
    await loopTurn();
  }
  const samples: number[] = new Array(opts.iterations);
  for (let i = 0; i < opts.iterations; i++) {
    const t0 = performance.now();
    await fn(opts.warmup + i);
    samples[i] = performance.now() - t0;
    await loopTurn();
  }
  return summarizeCalls(samples);
}

/**
 * `measure` for two calls at once, one after the other in alternating order (a b, b a, …): what
 * the machine does meanwhile (other processes, the collector) falls on both alike, so their ratio
 * holds on a shared machine where two loops run one after the other would not.
 */
export async function measurePair(
  fns: readonly [(i: number) => Promise<void>, (i: number) => Promise<void>],
  opts: { iterations: number; warmup: number },
): Promise<[Summary, Summary]> {
  return (await measurePairRounds(fns, { ...opts, rounds: 1 })).pooled;
}

/**
 * `measurePair` in `rounds` rounds of `iterations` (the warm-up once, before the first): each
 * round's summaries, and the summaries of all rounds' calls together.
 */
export async function measurePairRounds(
  fns: readonly [(i: number) => Promise<void>, (i: number) => Promise<void>],
  opts: { iterations: number; warmup: number; rounds: number },
): Promise<{ rounds: Array<[Summary, Summary]>; pooled: [Summary, Summary] }> {
  for (let i = 0; i < opts.warmup; i++)
    for (const fn of fns) {
      await fn(i);
      await loopTurn();
    }
  const all: [number[], number[]] = [[], []];
  const rounds: Array<[Summary, Summary]> = [];
  let call = opts.warmup;
  for (let r = 0; r < opts.rounds; r++) {
    const samples: [number[], number[]] = [new Array(opts.iterations), new Array(opts.iterations)];
    for (let i = 0; i < opts.iterations; i++, call++) {
      for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const t0 = performance.now();
        await fns[which]!(call);
        samples[which]![i] = performance.now() - t0;
        await loopTurn();
      }
    }
    rounds.push([summarizeCalls(samples[0]), summarizeCalls(samples[1])]);
    all[0].push(...samples[0]);
    all[1].push(...samples[1]);
  }
  return { rounds, pooled: [summarizeCalls(all[0]), summarizeCalls(all[1])] };
}

/**
 * A turn of the event loop between calls, as between a server's requests: the app's timers (the
 * log's checkpoints) run there, not never (SQLite's calls are synchronous, so a loop of awaited
 * calls alone never leaves the microtask queue).
 */
function loopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A summary of calls run one after the other: their wall time is the sum of their latencies. */
function summarizeCalls(samples: readonly number[]): Summary {
  return summarize(
    samples,
    samples.reduce((s, v) => s + v, 0),
  );
}

/**
 * Every round's p99 ratio (the second's over the first's) and the round whose ratio is their median
 * (the lower one of an even count): what the checks made in rounds compare, as one round's few slow
 * calls decide a pooled p99.
 */
export function medianRound(rounds: ReadonlyArray<readonly [Summary, Summary]>): {
  ratios: number[];
  median: readonly [Summary, Summary];
} {
  const ratios = rounds.map(([a, b]) => b.p99 / a.p99);
  const order = ratios.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return { ratios, median: rounds[order[Math.floor((order.length - 1) / 2)]![1]]! };
}

/** The least-squares slope of y over x (units of y per unit of x); NaN under two points. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  if (points.length < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return num / den;
}
