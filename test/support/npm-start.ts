import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

/**
 * What `npm start` runs, as `node`'s arguments (package.json's start script: node's flags, then the
 * bundle), so the end-to-end tests and the process bench measure the very process an operator
 * starts, flags included.
 */
export function npmStartArgs(): string[] {
  const start = (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { scripts: { start: string } }).scripts
    .start;
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== "node") throw new Error(`npm start is expected to run node: ${start}`);
  // The script by its full path, so a test may start it from any working directory.
  return args.map((a) => (a.startsWith("-") ? a : join(root, a)));
}
