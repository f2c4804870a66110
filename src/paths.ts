import { fileURLToPath } from "node:url";

/**
 * The project's folder (config/, prisma/): this file sits in src/, or in dist/src/ once compiled
 * (`npm run build`), so the same relative paths find them from either.
 */
const here = new URL(".", import.meta.url);
const root = new URL(here.pathname.endsWith("/dist/src/") ? "../../" : "../", here);

/** A path inside the project, e.g. projectPath("prisma/migrations/"). */
export function projectPath(relative: string): string {
  return fileURLToPath(new URL(relative, root));
}
