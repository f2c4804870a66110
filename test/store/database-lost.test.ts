import { renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { createRelais } from "../../src/app.ts";
import { checkHealth } from "../../src/health.ts";
import { serveOperations } from "../../src/operations.ts";
import type { Lang } from "../../src/i18n/index.ts";
import { handleLine } from "../../src/kit/dispatch.ts";
import { Pipeline } from "../../src/kit/pipeline.ts";
import type { InteractionPort } from "../../src/kit/ports.ts";
import { reply } from "../../src/reply.ts";
import { openStore } from "../../src/store/database.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { tempDir } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { parsePrometheus, sampleValue, scrape } from "../support/prometheus.ts";
import { alice, defaultPolicy, manualClock } from "../support/fixtures.ts";

const cleanups = cleanupsAfterEach();

/** Relais on a real SQLite file, its JSON log kept, its scheduler having passed once. */
async function relaisOnFile() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, "relais.db");
  const logs: string[] = [];
  const log = pino(
    { level: "warn" },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
  const store = await openStore(`file:${path}`, { log });
  cleanups.push(() => store.close());
  const clock = manualClock();
  const relais = createRelais({ store, policy: defaultPolicy(), clock });
  await relais.scheduler.tick();
  const say = async (line: string, lang: Lang = "fr") => {
    const reply = await handleLine(line, commands, relais.context(alice, lang));
    return { reply, text: renderText(reply) };
  };
  const health = () => checkHealth({ store, scheduler: relais.scheduler, clock });
  return { dir, path, logs, relais, clock, say, health };
}

/** Moves a SQLite database with its WAL files, as an operator moving "the database" would. */
function moveDatabase(from: string, to: string): void {
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      renameSync(from + suffix, to + suffix);
    } catch (e) {
      if ((e as { code?: string }).code !== "ENOENT") throw e;
    }
  }
}

function ticketTitles(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT title FROM "Ticket" ORDER BY id`).all() as { title: string }[]).map((r) => r.title);
  } finally {
    db.close();
  }
}

describe("a database that defends itself (SQLite file)", () => {
  it("GIVEN a healthy database THEN /healthz says 200 with the write check, the scheduler's last pass and the outbox backlog", async () => {
    const r = await relaisOnFile();
    const { outbox } = r.relais.store;
    const post = (channel: string) => ({ key: `k-${channel}`, platform: "shell", channel, reply: reply.public([]) });
    await outbox.enqueue(post("C1"), r.clock.now());
    await outbox.enqueue(post("C2"), r.clock.now());
    const [first] = await outbox.claimHeads(r.clock.now(), "w", 60_000, 1);
    await outbox.markFailed(first!.id, "w", "channel_not_found");
    const h = await r.health();
    expect(h.status).toBe(200);
    expect(h.body.database).toEqual({ writable: true });
    expect(h.body.scheduler).toMatchObject({ ok: true, lastPassAt: r.clock.now().toUTC().toISO() });
    expect(h.body.outbox).toEqual({ pending: 1, failed: 1 });
  });

  it("GIVEN the scheduler has not passed for minutes THEN /healthz says 503 and why", async () => {
    const r = await relaisOnFile();
    r.clock.advance({ minutes: 2 });
    const h = await r.health();
    expect(h.status).toBe(503);
    expect(h.body.database.writable).toBe(true);
    expect(h.body.scheduler.problem).toMatch(/^no scheduler pass since /);
    await r.relais.scheduler.tick();
    expect((await r.health()).status).toBe(200);
  });

  it("GIVEN the file is deleted under the running process THEN commands are refused politely in the user's language, /healthz says 503, the log names the path", async () => {
    const r = await relaisOnFile();
    expect((await r.say("/ticket nouveau Imprimante bloquée")).text).toContain("T-1 ouvert");
    unlinkSync(r.path);
    const fr = await r.say("/ticket nouveau VPN coupé");
    expect(fr.reply.error).toBe("database_unavailable");
    expect(fr.text).toContain("sa base de données est indisponible");
    expect(fr.text).not.toContain("T-2");
    const en = await r.say("/ticket list", "en");
    expect(en.reply.error).toBe("database_unavailable");
    expect(en.text).toContain("its database is unavailable");
    const h = await r.health();
    expect(h.status).toBe(503);
    expect(h.body.database).toEqual({ writable: false, problem: `the database file ${r.path} was deleted` });
    expect(h.body.outbox).toBeNull();
    const lines = r.logs.map((l) => JSON.parse(l) as { msg: string; path?: string; problem?: string });
    const lost = lines.filter((l) => l.msg.startsWith("database file lost"));
    expect(lost).toHaveLength(1); // said once, not at every refused query
    expect(lost[0]).toMatchObject({ path: r.path, problem: `the database file ${r.path} was deleted` });
  });

  it("GIVEN the file is deleted THEN a form submitted once and a mention (both claimed in the database first) are answered with the refusal, a mention not with 'T-1 does not exist'; the form counts as failed, not refused", async () => {
    const r = await relaisOnFile();
    await r.say("/ticket nouveau Imprimante bloquée");
    unlinkSync(r.path);
    const posted: string[] = [];
    const answered: string[] = [];
    const none = async () => {};
    const port: InteractionPort = {
      ctx: r.relais.context(alice, "fr", { platform: "slack", channel: "C1" }),
      ack: none,
      answer: async (reply) => void answered.push(renderText(reply)),
      openForm: none,
      formErrors: none,
      channels: {
        platform: "slack",
        post: async () => ({ channel: "C1", messageId: "1" }),
        postInThread: async (_t, reply) => void posted.push(renderText(reply)),
      },
    };
    const requests = r.relais.store.requests;
    await new Pipeline(commands, { requests, metrics: r.relais.metrics }).handle(port, {
      kind: "form",
      state: { command: "ticket", sub: "new", channel: "C1", given: {} },
      fields: { title: "VPN coupé" },
      once: "view-1",
    });
    expect(answered).toHaveLength(1);
    expect(answered[0]).toContain("sa base de données est indisponible");
    // For the metrics it failed: nothing the person did wrong (alice's id names no platform: the shell's).
    const scraped = parsePrometheus(await r.relais.metrics.exposition());
    const outcome = (o: string) =>
      sampleValue(scraped, "relais_commands_total", { surface: "shell", command: "ticket", sub: "new", outcome: o });
    expect([outcome("failed"), outcome("refused")]).toEqual([1, undefined]);
    await new Pipeline(commands, { requests }).handle(port, {
      kind: "mention",
      text: "<@UBOT> T-1 ?",
      thread: { channel: "C1", messageId: "9" },
      once: "event-1",
    });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain("sa base de données est indisponible");
    expect(posted[0]).not.toContain("n’existe pas");
  });

  it("GIVEN /healthz and /metrics served on their own port (Discord alone, Socket Mode) THEN 200, then /healthz 503 with the reason in JSON and /metrics saying the store is down once the file is deleted; other paths 404", async () => {
    const r = await relaisOnFile();
    const { store, scheduler, metrics } = r.relais;
    const server = await serveOperations({ store, scheduler, metrics, clock: r.clock }, 0);
    cleanups.push(() => server.close());
    const url = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    unlinkSync(r.path);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      ok: false,
      database: { writable: false, problem: `the database file ${r.path} was deleted` },
    });
    // /metrics still answers: what it reads from the database is said to be unknown, not 0.
    const scraped = await scrape(`${url}/metrics`);
    expect(sampleValue(scraped, "relais_store_up")).toBe(0);
    expect(sampleValue(scraped, "relais_jobs_overdue")).toBeNaN();
    expect(sampleValue(scraped, "relais_sla_tickets", { priority: "P1", state: "breached" })).toBeUndefined();
    expect((await fetch(`${url}/slack/events`)).status).toBe(404);
  });

  it("GIVEN the file is moved away THEN nothing is written into it any more (no T-2 acked into nothing), and moved back it answers again", async () => {
    const r = await relaisOnFile();
    await r.say("/ticket nouveau Imprimante bloquée");
    const away = join(r.dir, "moved.db");
    moveDatabase(r.path, away);
    expect((await r.say("/ticket nouveau VPN coupé")).reply.error).toBe("database_unavailable");
    await expect(r.relais.scheduler.tick()).rejects.toMatchObject({ code: "database_unavailable" });
    // The file the process still holds open got nothing.
    expect(ticketTitles(away)).toEqual(["Imprimante bloquée"]);
    moveDatabase(away, r.path);
    expect((await r.say("/ticket nouveau VPN coupé")).text).toContain("T-2 ouvert");
  });

  it("GIVEN another database is put in its place THEN commands are refused and neither database is written", async () => {
    const r = await relaisOnFile();
    await r.say("/ticket nouveau Imprimante bloquée");
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const other = join(dir, "other.db");
    const otherStore = await openStore(`file:${other}`);
    await createRelais({ store: otherStore, policy: defaultPolicy(), clock: r.clock }).services.tickets.create(alice, {
      title: "Ticket d’une autre base",
    });
    await otherStore.close();
    const held = join(r.dir, "held.db");
    moveDatabase(r.path, held); // where the process's file can still be read
    renameSync(other, r.path);
    const refused = await r.say("/ticket nouveau VPN coupé");
    expect(refused.reply.error).toBe("database_unavailable");
    const h = await r.health();
    expect(h.status).toBe(503);
    expect(h.body.database.problem).toBe(`the database file ${r.path} was replaced by another file`);
    expect(ticketTitles(r.path)).toEqual(["Ticket d’une autre base"]);
    expect(ticketTitles(held)).toEqual(["Imprimante bloquée"]);
  });
});
