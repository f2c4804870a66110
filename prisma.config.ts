import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate; migrate deploy on a connected machine). Relais itself
// reads DATABASE_URL in src/config/env.ts and applies prisma/migrations at start-up.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/relais.db" },
});
