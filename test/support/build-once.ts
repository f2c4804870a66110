import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Vitest's global setup: `npm start` runs the bundle in dist/app/, so the end-to-end tests would run
 * yesterday's code after an edit. Rebuilt once before the tests when a source is newer than the
 * build (postinstall builds it on a fresh clone).
 */
const root = new URL("../../", import.meta.url).pathname;
const STAMP = join(root, "dist", "app", "main.js");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  const sources = Math.max(
    ...["src", "commands"].map((d) => newest(join(root, d))),
    statSync(join(root, "scripts", "build.mjs")).mtimeMs,
    statSync(join(root, "package-lock.json")).mtimeMs,
  );
  if (sources > built) execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
}
