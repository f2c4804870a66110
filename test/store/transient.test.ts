import { describe, expect, it } from "vitest";
import { RelaisError } from "../../src/errors.ts";
import { isTransient, retryTransient } from "../../src/store/transient.ts";

/** An error as Prisma raises it for a PostgreSQL error seen through the pg adapter. */
function prismaError(code: string, cause: Record<string, string>) {
  return Object.assign(new Error("Database error"), { code, meta: { driverAdapterError: { cause } } });
}

describe("transient database errors", () => {
  it.each([
    ["a server shutdown (57P01) wrapped by Prisma", prismaError("P2039", { kind: "postgres", originalCode: "57P01" })],
    [
      "a broken connection (08006) wrapped by Prisma",
      prismaError("P2039", { kind: "postgres", originalCode: "08006" }),
    ],
    ["a reset socket, as the adapter names it", prismaError("P1017", { kind: "ConnectionClosed" })],
    ["a serialization failure or deadlock", prismaError("P2034", { kind: "TransactionWriteConflict" })],
    [
      "a server shutdown as the adapter throws it (a transaction's COMMIT)",
      Object.assign(new Error("terminating connection due to administrator command"), {
        name: "DriverAdapterError",
        cause: { kind: "postgres", originalCode: "57P01" },
      }),
    ],
    ["ECONNRESET from the socket", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["pg's own error on a dead client", new Error("Client has encountered a connection error and is not queryable")],
    ["pg's connection end", new Error("Connection terminated unexpectedly")],
  ])("GIVEN %s THEN it is retried", (_, e) => {
    expect(isTransient(e)).toBe(true);
  });

  it.each([
    ["a unique constraint", prismaError("P2002", { kind: "UniqueConstraintViolation" })],
    ["a syntax error", prismaError("P2010", { kind: "postgres", originalCode: "42601" })],
    ["a refusal", new RelaisError("database_unavailable")],
    ["anything else", new Error("boom")],
  ])("GIVEN %s THEN it is not", (_, e) => {
    expect(isTransient(e)).toBe(false);
  });

  it("GIVEN a transaction that could not start in time (P2028) THEN only a whole transaction retries it", () => {
    const e = Object.assign(new Error("Unable to start a transaction in the given time."), { code: "P2028" });
    expect(isTransient(e)).toBe(false);
    expect(isTransient(e, true)).toBe(true);
  });

  it("GIVEN transient failures THEN the work runs again until it succeeds, at most once per delay, and other errors are not retried", async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      return calls < 3 ? Promise.reject(new Error("Connection terminated unexpectedly")) : Promise.resolve("done");
    };
    expect(await retryTransient(flaky, { delaysMs: [1, 1, 1] })).toBe("done");
    expect(calls).toBe(3);

    calls = 0;
    const down = () => {
      calls++;
      return Promise.reject(new Error("Connection terminated unexpectedly"));
    };
    await expect(retryTransient(down, { delaysMs: [1, 1] })).rejects.toThrow("Connection terminated");
    expect(calls).toBe(3);

    calls = 0;
    const wrong = () => {
      calls++;
      return Promise.reject(new Error("boom"));
    };
    await expect(retryTransient(wrong, { delaysMs: [1, 1] })).rejects.toThrow("boom");
    expect(calls).toBe(1);
  });
});
