import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRelais } from "../src/app.ts";
import { DateTime } from "luxon";
import { ManualClock, type TimeSources, WallClock } from "../src/clock.ts";
import { openStore } from "../src/store/database.ts";
import { tempDir } from "./helpers.ts";
import { alice, defaultPolicy, paris } from "./support/fixtures.ts";
import { RecordingSender } from "./support/recording-sender.ts";

/** A wall clock an operator can step, and a monotonic clock that only moves forward with real time. */
class FakeTime implements TimeSources {
  private mono = 1_000;
  constructor(private wallMs: number) {}
  wall(): number {
    return this.wallMs;
  }
  monotonic(): number {
    return this.mono;
  }
  /** Real time passes: both clocks move. */
  pass(ms: number): void {
    this.mono += ms;
    this.wallMs += ms;
  }
  /** The wall clock is set (NTP correction, `date -s`): only it moves. */
  step(ms: number): void {
    this.wallMs += ms;
  }
}

const HOUR = 3_600_000;
const hhmmss = (c: WallClock) => c.now().setZone("Europe/Paris").toFormat("HH:mm:ss");

describe("the manual clock of the tests and benchmarks", () => {
  it("GIVEN a time set in Paris THEN it reads the same instant in UTC, as the wall clock reads", () => {
    const clock = new ManualClock(DateTime.fromISO("2026-11-24T10:00:00", { zone: "Europe/Paris" }));
    expect(clock.now().zoneName).toBe("UTC");
    expect(clock.now().toISO()).toBe("2026-11-24T09:00:00.000Z");
    clock.set(DateTime.fromISO("2026-07-01T10:00:00", { zone: "Europe/Paris" }));
    clock.advance({ minutes: 30 });
    expect(clock.now().toISO()).toBe("2026-07-01T08:30:00.000Z");
    expect(new WallClock().now().zoneName).toBe("UTC");
  });
});

describe("the wall clock, watched for steps (issue 14)", () => {
  it("GIVEN the wall clock stepped back an hour THEN the wall time is kept and the step is told once", () => {
    const t = new FakeTime(paris("2026-11-24T10:00").toMillis());
    const steps: number[] = [];
    const clock = new WallClock({ sources: t, onStep: (ms) => steps.push(ms) });
    t.pass(30 * 60_000);
    expect(hhmmss(clock)).toBe("10:30:00");
    t.step(-HOUR);
    expect(hhmmss(clock)).toBe("09:30:00");
    t.pass(10 * 60_000);
    expect(hhmmss(clock)).toBe("09:40:00");
    expect(steps).toEqual([-HOUR]);
  });

  it("GIVEN the wall clock stepped forward an hour THEN it is followed and the step is told once", () => {
    const t = new FakeTime(paris("2026-11-24T10:00").toMillis());
    const steps: number[] = [];
    const clock = new WallClock({ sources: t, onStep: (ms) => steps.push(ms) });
    t.step(HOUR);
    expect(hhmmss(clock)).toBe("11:00:00");
    t.pass(1000);
    expect(hhmmss(clock)).toBe("11:00:01");
    expect(steps).toEqual([HOUR]);
  });

  it("GIVEN NTP slewing the wall clock by half a second THEN it is not a step", () => {
    const t = new FakeTime(paris("2026-11-24T10:00").toMillis());
    const steps: number[] = [];
    const clock = new WallClock({ sources: t, onStep: (ms) => steps.push(ms) });
    t.pass(60_000);
    t.step(-500);
    expect(clock.now().toMillis()).toBe(paris("2026-11-24T10:01").toMillis() - 500);
    expect(steps).toEqual([]);
  });
});

describe("a P1 cadence across a step of the wall clock", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  for (const [what, stepMs] of [
    ["back", -HOUR],
    ["forward", HOUR],
  ] as const) {
    it(`GIVEN the wall clock stepped ${what} an hour at 10:30 THEN the step is logged and the 11:00 update goes out at the first tick the wall clock reads 11:00`, async () => {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const store = await openStore(`file:${join(dir, "relais.db")}`);
      cleanups.push(() => store.close());
      const t = new FakeTime(paris("2026-11-24T10:00").toMillis());
      const steps: number[] = [];
      const clock = new WallClock({ sources: t, onStep: (ms) => steps.push(ms) });
      const relais = createRelais({ store, policy: defaultPolicy(), clock });
      const out = new RecordingSender();
      const dispatcher = relais.dispatcher({ shell: out });
      await relais.services.outages.declare(alice, {
        title: "Messagerie indisponible",
        services: "Exchange",
        impact: "tout le siège",
        channels: "#support",
      });
      await dispatcher.flush();
      // One tick every 30 seconds of real time; returns the wall time of the tick that posted the update.
      const tickUntilPosted = async (limitMs: number) => {
        for (let s = 0; s < limitMs; s += 30_000) {
          t.pass(30_000);
          await relais.scheduler.tick();
          await dispatcher.flush();
          if (out.to("support").length === 2) return clock.now();
        }
        return undefined;
      };
      expect(await tickUntilPosted(30 * 60_000 - 30_000)).toBeUndefined(); // up to 10:30
      t.step(stepMs);
      const postedAt = await tickUntilPosted(3 * HOUR);
      expect(steps).toEqual([stepMs]);
      // Not delayed past its announced time (or, when the step skipped over it, past the step) by
      // more than one tick, whichever way the clock stepped.
      const due = Math.max(paris("2026-11-24T11:00").toMillis(), paris("2026-11-24T10:30").toMillis() + stepMs);
      expect(postedAt!.toMillis()).toBeGreaterThanOrEqual(due);
      expect(postedAt!.toMillis()).toBeLessThanOrEqual(due + 30_000);
      expect(out.to("support")[1]).toMatch(
        /Pas de changement depuis 10:00 \(heure de Paris\)\. Prochain point à \d{2}:\d{2}\./,
      );
    });
  }
});
