import { describe, expect, it, vi } from "vitest";
import { retryOnStale } from "../../src/store/retry.ts";
// The stale-write error retryOnStale retries on (where src/store/retry.ts takes it from).
import { StaleTicketError as StaleError } from "../../src/store/ticket-repository.ts";

/** An operation that fails with the given errors, one per call, then returns "written". */
function failing(...errors: Error[]) {
  return vi.fn(async () => {
    const e = errors.shift();
    if (e) throw e;
    return "written";
  });
}

describe("retryOnStale", () => {
  it("returns at once when the write goes through", async () => {
    const op = failing();
    await expect(retryOnStale(op)).resolves.toBe("written");
    expect(op).toHaveBeenCalledTimes(1);
  });

  it("runs the operation again after stale writes, then returns its result", async () => {
    const op = failing(new StaleError(3), new StaleError(3));
    await expect(retryOnStale(op)).resolves.toBe("written");
    expect(op).toHaveBeenCalledTimes(3);
  });

  it("gives up after five tries and passes the last stale error on", async () => {
    const errors = Array.from({ length: 6 }, () => new StaleError(3));
    const op = failing(...errors);
    await expect(retryOnStale(op)).rejects.toBe(errors[4]);
    expect(op).toHaveBeenCalledTimes(5);
  });

  it("passes any other error through without retrying", async () => {
    const other = new Error("disk full");
    const op = failing(other);
    await expect(retryOnStale(op)).rejects.toBe(other);
    expect(op).toHaveBeenCalledTimes(1);
  });
});
