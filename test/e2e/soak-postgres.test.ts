import { soakChecks } from "./soak-checks.ts";

/** Issue 14's soak on PostgreSQL (two replicas): see soak-checks.ts. */
soakChecks("postgres");
