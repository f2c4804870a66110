import { describe, expect, it } from "vitest";
import { retryOnStale, StaleWriteError } from "../src/retry.ts";

describe("StaleWriteError and retryOnStale", () => {
  it("GIVEN a stale write THEN the error names the record kind and id", () => {
    const e = new StaleWriteError("outage", 7);
    expect(e).toMatchObject({ name: "StaleWriteError", kind: "outage", id: 7 });
    expect(e.message).toBe("outage 7 changed since it was read");
  });

  it("GIVEN an operation that meets a stale write twice THEN it is run again until it succeeds", async () => {
    let runs = 0;
    const result = await retryOnStale(async () => {
      runs++;
      if (runs < 3) throw new StaleWriteError("escalation", 1);
      return "written";
    });
    expect(result).toBe("written");
    expect(runs).toBe(3);
  });

  it("GIVEN a record that keeps changing THEN it gives up after five tries with the stale error", async () => {
    let runs = 0;
    await expect(
      retryOnStale(async () => {
        runs++;
        throw new StaleWriteError("ticket", 2);
      }),
    ).rejects.toBeInstanceOf(StaleWriteError);
    expect(runs).toBe(5);
  });

  it("GIVEN another error THEN it is not retried", async () => {
    let runs = 0;
    await expect(
      retryOnStale(async () => {
        runs++;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(runs).toBe(1);
  });
});
