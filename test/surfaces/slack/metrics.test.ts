import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sample, sampleValue, scrape } from "../../support/prometheus.ts";
import { startSlackHarness, type SlackHarness } from "./harness.ts";
import { slaStanding } from "../../../src/sla/sla-state.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

const metricsUrl = () => h.url.replace("/slack/events", "/metrics");
const commands = (s: Sample[], labels: Record<string, string>) =>
  sampleValue(s, "relais_commands_total", { surface: "slack", command: "ticket", ...labels }) ?? 0;

describe("Slack HTTP mode: GET /metrics on the same port as Slack's requests", () => {
  it("GIVEN a fresh Relais THEN /metrics answers Prometheus's text format with Relais's metrics and the process's", async () => {
    const res = await fetch(metricsUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    for (const name of [
      "relais_commands_total",
      "relais_ack_seconds",
      "relais_outbox_failures_total",
      "relais_outbox_pending",
      "relais_outbox_failed",
      "relais_jobs_overdue",
      "relais_sla_tickets",
      "relais_scheduler_last_pass_timestamp_seconds",
    ])
      expect(text).toContain(`# TYPE ${name} `);
    const s = await scrape(metricsUrl());
    // The sender's platform is shown at 0, and the SLA gauges for every priority.
    expect(sampleValue(s, "relais_outbox_pending", { platform: "slack" })).toBe(0);
    expect(sampleValue(s, "relais_sla_tickets", { priority: "P1", state: "breached" })).toBe(0);
    expect(sampleValue(s, "relais_jobs_overdue")).toBe(0);
    expect(sampleValue(s, "relais_store_up")).toBe(1);
    expect(sampleValue(s, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    // No pass yet: 0; after one, the clock's time of it.
    expect(sampleValue(s, "relais_scheduler_last_pass_timestamp_seconds")).toBe(0);
    await h.r.relais.scheduler.tick();
    const after = await scrape(metricsUrl());
    expect(sampleValue(after, "relais_scheduler_last_pass_timestamp_seconds")).toBe(h.r.clock.now().toSeconds());
    // Only GET, only these paths.
    expect((await fetch(metricsUrl(), { method: "POST" })).status).not.toBe(200);
  });

  it("GIVEN /ticket <title>, then a bad reference THEN commands done and refused move, each ack is timed, nothing else moves", async () => {
    const before = await scrape(metricsUrl());
    expect(commands(before, { sub: "new", outcome: "done" })).toBe(0);
    await h.command("Imprimante bloquée au 2e étage");
    await h.surface.idle();
    const refused = await h.command("take T-abc");
    expect(refused.status).toBe(200);
    // The refusal is polite, in the person's language, and creates nothing.
    expect(JSON.stringify(refused.json())).toContain("T-abc");
    await h.surface.idle();
    expect((await h.r.relais.services.tickets.list({ id: "x", name: "x" }, "all")).total).toBe(1);
    const s = await scrape(metricsUrl());
    expect(commands(s, { sub: "new", outcome: "done" })).toBe(1);
    expect(commands(s, { sub: "take", outcome: "refused" })).toBe(1);
    expect(commands(s, { sub: "take", outcome: "done" })).toBe(0);
    expect(sampleValue(s, "relais_commands_total", { outcome: "failed" })).toBeUndefined();
    // What was typed never becomes a label: a mistyped subcommand is "none".
    await h.command("lsit");
    const typo = await scrape(metricsUrl());
    expect(commands(typo, { sub: "none", outcome: "refused" })).toBe(1);
    const labels = typo.flatMap((x) => Object.values(x.labels));
    expect(labels.some((l) => /lsit|abc|Imprimante/.test(l))).toBe(false);
    // Two requests acknowledged, each within Slack's 3 s.
    expect(sampleValue(s, "relais_ack_seconds_count", { surface: "slack" })).toBe(2);
    expect(sampleValue(s, "relais_ack_seconds_bucket", { surface: "slack", le: "3" })).toBe(2);
  });

  it("GIVEN a post the fake Slack refuses (channel_not_found) THEN outbox failures and failed posts move, by platform", async () => {
    h.slack.failWhen("chat.postMessage", (c) =>
      c.body.channel === "C-GONE" ? { status: 200, body: { ok: false, error: "channel_not_found" } } : undefined,
    );
    await h.command("Imprimante bloquée", { channel_id: "C-GONE" });
    await h.surface.idle();
    await h.dispatcher.flush();
    const s = await scrape(metricsUrl());
    // The card and the acknowledgement in its thread: the card refused, its thread reply failed with it.
    expect(sampleValue(s, "relais_outbox_failures_total", { platform: "slack", kind: "refused" })).toBe(1);
    expect(sampleValue(s, "relais_outbox_failed", { platform: "slack" })).toBe(2);
    expect(sampleValue(s, "relais_outbox_pending", { platform: "slack" })).toBe(0);
  });

  it("GIVEN a post that meets a rate limit THEN it counts as rate_limited, and stays pending until sent", async () => {
    h.slack.fail("chat.postMessage", { status: 429, headers: { "retry-after": "30" }, body: { ok: false } });
    await h.command("Imprimante bloquée");
    await h.surface.idle();
    await h.dispatcher.flush();
    const s = await scrape(metricsUrl());
    expect(sampleValue(s, "relais_outbox_failures_total", { platform: "slack", kind: "rate_limited" })).toBe(1);
    expect(sampleValue(s, "relais_outbox_failures_total", { platform: "slack", kind: "refused" })).toBeUndefined();
    // The reply waiting for its card to go out first is no failure of Slack's.
    expect(sampleValue(s, "relais_outbox_failures_total", { platform: "slack", kind: "transient" })).toBeUndefined();
    expect(sampleValue(s, "relais_outbox_pending", { platform: "slack" })).toBe(2);
    expect(sampleValue(s, "relais_outbox_failed", { platform: "slack" })).toBe(0);
  });

  it("GIVEN a P3 ticket nobody took THEN it is at risk an hour before its first-response deadline, breached after it", async () => {
    // Opened Tuesday 10:00 (Paris): first response due at 18:00, warned from 17:00.
    await h.command("Imprimante bloquée");
    await h.surface.idle();
    const sla = async (state: string) =>
      sampleValue(await scrape(metricsUrl()), "relais_sla_tickets", { priority: "P3", state });
    expect(await sla("at_risk")).toBe(0);
    expect(await sla("breached")).toBe(0);
    h.r.clock.advance({ hours: 7, minutes: 30 });
    expect(await sla("at_risk")).toBe(1);
    expect(await sla("breached")).toBe(0);
    h.r.clock.advance({ hours: 1 });
    expect(await sla("at_risk")).toBe(0);
    expect(await sla("breached")).toBe(1);
    // Taken (the first response), it is no longer breached.
    await h.command("take T-1");
    await h.surface.idle();
    expect(await sla("breached")).toBe(0);
  });

  it("GIVEN a mix of priorities, states and pauses THEN the SLA gauges (counted in the database) say what each ticket's standing says, at every moment of a day and a night", async () => {
    const { tickets, sla } = h.r.relais.services;
    const ana = { id: "slack:U1", name: "Ana" };
    const P1 = { impact: "high", urgency: "high", workaround: "none" } as const;
    const P2 = { impact: "medium", urgency: "medium", workaround: "partial" } as const;
    await tickets.create(ana, { title: "Site coupé", assessment: P1 });
    const taken = await tickets.create(ana, { title: "ERP lent", assessment: P2 });
    await tickets.take(ana, taken.id);
    await tickets.update(ana, taken.id, { stage: "diagnostic", nextAction: "Lire les journaux" });
    await tickets.create(ana, { title: "Imprimante" });
    const waiting = await tickets.create(ana, { title: "Écran", assessment: P2 });
    await tickets.take(ana, waiting.id);
    await tickets.wait(ana, waiting.id, "requester", "Une capture");
    h.r.clock.advance({ hours: 7, minutes: 50 }); // 17:50 Paris, ten minutes before closing
    await tickets.create(ana, { title: "VPN", assessment: P2 });
    await tickets.create(ana, { title: "Messagerie", assessment: P1 });
    const open = (await tickets.list(ana, "open")).tickets;
    expect(open).toHaveLength(6);
    const seen = { at_risk: 0, breached: 0 };
    for (let step = 0; step < 120; step++) {
      const now = h.r.clock.now();
      const samples = await scrape(metricsUrl());
      for (const priority of ["P1", "P2", "P3"] as const)
        for (const state of ["at_risk", "breached"] as const) {
          const expected = open.filter(
            (t) => t.priority === priority && slaStanding(t, sla, now).state === state,
          ).length;
          seen[state] += expected;
          expect({
            at: now.toISO(),
            priority,
            state,
            n: sampleValue(samples, "relais_sla_tickets", { priority, state }),
          }).toEqual({
            at: now.toISO(),
            priority,
            state,
            n: expected,
          });
        }
      h.r.clock.advance({ minutes: 13 });
    }
    // The walk saw tickets at risk and breached, not only zeros.
    expect(seen.at_risk).toBeGreaterThan(0);
    expect(seen.breached).toBeGreaterThan(0);
  });

  it("GIVEN a timed job left undone past its time THEN it shows as overdue, and no longer once the scheduler has run it", async () => {
    await h.command("Imprimante bloquée");
    await h.surface.idle();
    const overdue = async () => sampleValue(await scrape(metricsUrl()), "relais_jobs_overdue");
    expect(await overdue()).toBe(0);
    // Its SLA warning is due at 17:00: 5 s past it, the scheduler is not late yet (10 s at least).
    h.r.clock.advance({ hours: 7, seconds: 5 });
    expect(await overdue()).toBe(0);
    // An hour later, nothing having run the scheduler, it is.
    h.r.clock.advance({ hours: 1 });
    expect(await overdue()).toBeGreaterThan(0);
    await h.r.relais.scheduler.tick();
    expect(await overdue()).toBe(0);
  });
});
