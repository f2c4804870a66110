import type { DateTime } from "luxon";
import Database from "better-sqlite3";
import type { Assessment } from "../src/tickets/priority.ts";
import { openBenchApp, type BenchApp } from "./app.ts";

/**
 * Open tickets written in bulk SQL, so a bench reaches 100,000 of them in seconds rather than the
 * many minutes one `create` at a time takes. What is written is what the service writes: a few
 * template tickets go through the real ticket service in a scratch database (created; taken;
 * updated; waiting — each through its own call, at the bench's clock), and each seeded ticket is a
 * copy of one of them under its own id: the ticket row, its timeline events, and its pending jobs
 * (the SLA warning, the promised update), keys and payloads pointing at the new id. One
 * transaction on a second better-sqlite3 connection to the app's file (WAL: Prisma's connection
 * sees it once committed). SQLite only: the PostgreSQL comparison seeds through the services.
 */

/** A mix of assessments so the queue holds P1, P2 and P3 tickets (and some default P3). */
const ASSESSMENTS: ReadonlyArray<Assessment | undefined> = [
  { impact: "high", urgency: "high", workaround: "none" }, // P1
  { impact: "medium", urgency: "medium", workaround: "partial" }, // P2
  { impact: "high", urgency: "medium", workaround: "partial" }, // P2
  { impact: "low", urgency: "low", workaround: "full" }, // P3
  undefined, // default priority (P3)
  undefined,
];
/** Statuses in proportion: most open tickets are new or taken, fewer in progress or waiting. */
const STATUSES = ["new", "new", "new", "acknowledged", "acknowledged", "in_progress", "waiting"] as const;
const TITLES = [
  "VPN coupé",
  "Écran noir au démarrage",
  "Messagerie lente",
  "Accès au dossier partagé refusé",
  "Imprimante hors ligne",
];
/** Owners the copies are spread over (so "mine" filters a share, not everything). */
const OWNERS = 37;

type Row = Record<string, unknown>;
interface Template {
  ticket: Row;
  events: Row[];
  jobs: Row[];
}

/** Adds `count` open tickets to the app's SQLite file; returns the time it took in ms. */
export async function seedOpenTickets(
  app: Pick<BenchApp, "dbPath">,
  count: number,
  /**
   * When the templates are made (the bench's Tuesday unless told) and by whom (a shell user unless
   * told): a real process seeded "now" by a Slack agent has a queue like a running helpdesk's, its
   * warnings ahead and addressed to Slack, not thousands overdue to a platform it does not serve.
   */
  opts: { at?: DateTime; agent?: string } = {},
): Promise<number> {
  const started = performance.now();
  const templates = await buildTemplates(opts);
  // The copies' people on the agent's platform ("slack:"), or shell ids.
  const platform = opts.agent?.includes(":") ? opts.agent.slice(0, opts.agent.indexOf(":") + 1) : "";
  const db = new Database(app.dbPath);
  try {
    db.pragma("busy_timeout = 5000");
    const insert = (table: string, cols: string[]) =>
      db.prepare(
        `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
      );
    const t0 = templates[0]!;
    const ticketCols = Object.keys(t0.ticket);
    const eventCols = Object.keys(t0.events[0]!).filter((c) => c !== "id");
    const jobCols = Object.keys(templates.find((t) => t.jobs.length > 0)!.jobs[0]!).filter((c) => c !== "id");
    const putTicket = insert("Ticket", ticketCols);
    const putEvent = insert("TicketEvent", eventCols);
    const putJob = insert("Job", jobCols);
    db.transaction(() => {
      const first = ((db.prepare(`SELECT MAX("id") AS m FROM "Ticket"`).get() as { m: number | null }).m ?? 0) + 1;
      for (let n = 0; n < count; n++) {
        const id = first + n;
        const t = templates[n % templates.length]!;
        const owner = n % OWNERS;
        const ticket: Row = {
          ...t.ticket,
          id,
          title: `${TITLES[n % TITLES.length]} #${id}`,
          createdBy: `${platform}U-${owner}`,
          ownerId: `${platform}U-${owner}`,
          ownerName: `Agent ${owner}`,
        };
        putTicket.run(ticketCols.map((c) => ticket[c]));
        for (const e of t.events) putEvent.run(eventCols.map((c) => (c === "ticketId" ? id : e[c])));
        for (const j of t.jobs) {
          const key = String(j.key).replace(/^T-\d+/, `T-${id}`);
          const data = JSON.parse(String(j.payload)) as Row;
          const payload = JSON.stringify("ticketId" in data ? { ...data, ticketId: id } : data);
          putJob.run(jobCols.map((c) => (c === "key" ? key : c === "payload" ? payload : j[c])));
        }
      }
    })();
  } finally {
    db.close();
  }
  return performance.now() - started;
}

/** One ticket per (assessment, status), through the ticket service in a scratch database. */
async function buildTemplates(opts: { at?: DateTime; agent?: string }): Promise<Template[]> {
  const scratch = await openBenchApp(undefined, opts.at);
  try {
    const tickets = scratch.relais.services.tickets;
    const agent = { id: opts.agent ?? "U-0", name: "Agent 0" };
    for (const [i, status] of STATUSES.entries()) {
      for (const [j, assessment] of ASSESSMENTS.entries()) {
        const t = await tickets.create(agent, {
          title: TITLES[(i + j) % TITLES.length]!,
          ...(assessment ? { assessment } : {}),
        });
        if (status === "new") continue;
        await tickets.take(agent, t.id);
        if (status === "in_progress")
          await tickets.update(agent, t.id, { stage: "diagnostic", nextAction: "Lire les journaux" });
        if (status === "waiting") await tickets.wait(agent, t.id, "requester", "Capture d'écran");
      }
    }
    const db = new Database(scratch.dbPath, { readonly: true });
    try {
      const rows = db.prepare(`SELECT * FROM "Ticket" ORDER BY "id"`).all() as Row[];
      const events = db.prepare(`SELECT * FROM "TicketEvent" WHERE "ticketId" = ? ORDER BY "id"`);
      const jobs = db.prepare(`SELECT * FROM "Job" WHERE "status" = 'pending' AND "key" LIKE ? ORDER BY "id"`);
      return rows.map((ticket) => ({
        ticket,
        events: events.all(ticket.id) as Row[],
        jobs: jobs.all(`T-${String(ticket.id)}:%`) as Row[],
      }));
    } finally {
      db.close();
    }
  } finally {
    await scratch.close();
  }
}
