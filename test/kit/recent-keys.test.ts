import { describe, expect, it } from "vitest";
import { DOUBLE_CLICK, RecentKeys } from "../../src/kit/once.ts";

describe("keys this process saw lately (caught before the ack, no database write)", () => {
  it("GIVEN a delivery seen THEN its repeat is caught for 6 minutes (past Slack's last retry), a click's for 5 seconds only", () => {
    let now = 0;
    const recent = new RecentKeys(() => now);
    const request = { key: "slack:request:abc" };
    const click = { key: "slack:click:U1:1.0:ticket_take:1", within: DOUBLE_CLICK };
    expect(recent.firstSeen([request])).toBe(true);
    expect(recent.firstSeen([request])).toBe(false);
    expect(recent.firstSeen([click])).toBe(true);
    now = 4_999;
    expect(recent.firstSeen([click])).toBe(false);
    now = 5_001;
    expect(recent.firstSeen([click])).toBe(true);
    now = 5.5 * 60_000;
    expect(recent.firstSeen([request])).toBe(false);
    now = 6.5 * 60_000;
    expect(recent.firstSeen([request])).toBe(true);
  });

  it("GIVEN a request whose click was seen THEN the whole request is a repeat", () => {
    const recent = new RecentKeys(() => 0);
    const click = { key: "click", within: DOUBLE_CLICK };
    expect(recent.firstSeen([{ key: "request-1" }, click])).toBe(true);
    expect(recent.firstSeen([{ key: "request-2" }, click])).toBe(false);
  });

  it("GIVEN more keys than it keeps THEN the oldest are forgotten first and the newest still caught", () => {
    const recent = new RecentKeys(() => 0, 3);
    for (const k of ["a", "b", "c", "d"]) expect(recent.firstSeen([{ key: k }])).toBe(true);
    expect(recent.firstSeen([{ key: "d" }])).toBe(false);
    expect(recent.firstSeen([{ key: "a" }])).toBe(true);
  });
});
