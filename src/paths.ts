import { fileURLToPath } from "node:url";

/**
 * The project's folder (config/, prisma/): this file sits in src/, or is bundled into dist/app/
 * (`npm run build`, scripts/build.mjs), so the same relative paths find them from either.
 */
const here = new URL(".", import.meta.url);
const root = new URL(here.pathname.endsWith("/dist/app/") ? "../../" : "../", here);

/** A path inside the project, e.g. projectPath("prisma/migrations/"). */
export function projectPath(relative: string): string {
  return fileURLToPath(new URL(relative, root));
}
