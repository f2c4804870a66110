import { afterEach } from "vitest";

export type Cleanup = () => unknown;

/**
 * A list a test pushes its cleanups on (servers, temp folders, processes, stores); after each
 * test they run, last pushed first, whether the test passed or not.
 */
export function cleanupsAfterEach(): Cleanup[] {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}
