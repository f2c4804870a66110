import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { keepZoneOffsets } from "../../src/sla/zone-offsets.ts";

describe("kept time-zone offsets (issue 16)", () => {
  it("GIVEN zones with daylight saving, half and quarter hours THEN every offset kept is what Intl says, across each change", () => {
    const zones = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns"];
    for (const name of zones) {
      keepZoneOffsets(name);
      const zone = IANAZone.create(name);
      // What `Intl` says: a zone instance luxon never shares (no kept offsets).
      const intl = new IANAZone(name);
      const wrong: string[] = [];
      // Every 67 minutes over two years, then minute by minute around each change.
      const from = Date.UTC(2026, 0, 1);
      const check = (ts: number) => {
        if (zone.offset(ts) !== intl.offset(ts)) wrong.push(new Date(ts).toISOString());
      };
      for (let ts = from; ts < from + 2 * 366 * 86_400_000; ts += 67 * 60_000) {
        check(ts);
        if (intl.offset(ts) !== intl.offset(ts + 67 * 60_000))
          for (let m = ts; m <= ts + 67 * 60_000; m += 60_000) check(m);
      }
      expect(wrong, name).toEqual([]);
    }
  });

  it("GIVEN the night clocks go back in Paris THEN local times either side keep their own offset", () => {
    keepZoneOffsets("Europe/Paris");
    const before = DateTime.fromISO("2026-10-25T02:59:59.999+02:00", { setZone: true }).setZone("Europe/Paris");
    const after = before.plus({ milliseconds: 1 });
    expect([before.offset, after.offset]).toEqual([120, 60]);
    expect(after.toISO()).toBe("2026-10-25T02:00:00.000+01:00");
  });
});
