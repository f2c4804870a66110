import { configDefaults, defineConfig } from "vitest/config";

/**
 * Two projects: every test on SQLite (the default store), and the store-facing suites again on
 * PostgreSQL (RELAIS_TEST_PG_URL, default the local server on 127.0.0.1:5432, database `test`).
 */
const common = {
  // End-to-end tests spawn `npm start`; give them room on a shared 2-core machine.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // `npm start` runs dist/: rebuilt first when a source changed since (test/support/build-once.ts).
    globalSetup: ["test/support/build-once.ts"],
    projects: [
      { test: { ...common, name: "sqlite", include: ["test/**/*.test.ts"] } },
      {
        test: {
          ...common,
          name: "postgres",
          include: [
            "test/commands/**/*.test.ts",
            "test/tickets/**/*.test.ts",
            "test/outages/**/*.test.ts",
            "test/outbox/**/*.test.ts",
            "test/escalations/**/*.test.ts",
            "test/scheduler/**/*.test.ts",
            "test/store/concurrency.test.ts",
            "test/store/claims.test.ts",
            "test/store/unit-of-work.test.ts",
            // Every inbound request once, on the claims PostgreSQL holds for several replicas.
            "test/surfaces/slack/inbound-once.test.ts",
            "test/surfaces/discord/inbound-once.test.ts",
            "test/sla/sla-state.test.ts",
            // The status page reads outages resolved lately (not its browser test: SQLite only).
            "test/status-page/status-page.test.ts",
            // Who opened their App Home (DeskViewer) and the desk's bounded reads, on PostgreSQL too.
            "test/surfaces/slack/app-home.test.ts",
          ],
          // Pure domain tests (no store): once on SQLite is enough.
          exclude: [...configDefaults.exclude, "test/tickets/lifecycle.test.ts", "test/tickets/priority.test.ts"],
          env: { RELAIS_TEST_STORE: "pg" },
        },
      },
    ],
  },
});
