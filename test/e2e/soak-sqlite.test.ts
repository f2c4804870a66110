import { soakChecks } from "./soak-checks.ts";

/** Issue 14's soak on SQLite (one process): see soak-checks.ts. */
soakChecks("sqlite");
