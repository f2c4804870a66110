import { configDefaults, defineConfig } from "vitest/config";

/**
 * Three projects: every test on SQLite (the default store), the store-facing suites again on
 * PostgreSQL (RELAIS_TEST_PG_URL, default the local server on 127.0.0.1:5432, database `test`; each
 * test in a schema of its own), both two files at a time; then, alone and one file at a time, the
 * end-to-end tests that spawn real processes and judge time (drills, the soak), so a neighbour's
 * load never eats into the bounds they check.
 */
const common = {
  // End-to-end tests spawn `npm start`; give them room on a shared 2-core machine.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};
const E2E = "test/e2e/**/*.test.ts";
const parallel = { maxWorkers: 2, sequence: { groupOrder: 0 } };

export default defineConfig({
  test: {
    // `npm start` runs dist/: rebuilt first when a source changed since (test/support/build-once.ts).
    globalSetup: ["test/support/build-once.ts"],
    projects: [
      {
        test: {
          ...common,
          ...parallel,
          name: "sqlite",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, E2E],
        },
      },
      { test: { ...common, name: "e2e", include: [E2E], maxWorkers: 1, sequence: { groupOrder: 1 } } },
      {
        test: {
          ...common,
          ...parallel,
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
            "test/store/time-zone.test.ts",
            "test/store/ticket-reads.test.ts",
            // Every inbound request once, on the claims PostgreSQL holds for several replicas.
            "test/surfaces/slack/inbound-once.test.ts",
            "test/surfaces/discord/inbound-once.test.ts",
            "test/sla/sla-state.test.ts",
            // GET /metrics reads the outbox, the jobs and the open tickets with grouped counts.
            "test/surfaces/slack/metrics.test.ts",
            "test/surfaces/discord/metrics.test.ts",
            // The status page reads outages resolved lately (not its browser test: SQLite only).
            "test/status-page/status-page.test.ts",
            // Who opened their App Home (DeskViewer) and the desk's bounded reads, on PostgreSQL too.
            "test/surfaces/slack/app-home.test.ts",
            "test/sla/report.test.ts",
            "test/sla/weekly-report.test.ts",
          ],
          // Pure domain tests (no store): once on SQLite is enough.
          exclude: [...configDefaults.exclude, "test/tickets/lifecycle.test.ts", "test/tickets/priority.test.ts"],
          env: { RELAIS_TEST_STORE: "pg" },
        },
      },
    ],
  },
});
