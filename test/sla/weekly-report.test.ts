import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { REST } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createRelais } from "../../src/app.ts";
import { parsePolicy } from "../../src/config/policy.ts";
import { openStore } from "../../src/store/database.ts";
import { SlackSender } from "../../src/surfaces/slack/slack-sender.ts";
import type { Reply } from "../../src/reply.ts";
import { DiscordSender } from "../../src/surfaces/discord/discord-sender.ts";
import { ShellScreen } from "../../src/surfaces/shell/screen.ts";
import { ShellSender } from "../../src/surfaces/shell/shell-sender.ts";
import { commands } from "../../commands/index.ts";
import { runShell } from "../../src/surfaces/shell/shell.ts";
import { startRelais } from "../helpers.ts";
import { FakeDiscordApi } from "../support/discord-api.ts";
import { alice, paris, rawPolicy } from "../support/fixtures.ts";
import { type SlackHarness, startSlackHarness, TOKEN } from "../surfaces/slack/harness.ts";

/**
 * The weekly SLA report (policy `slaReport`): posted on Monday 09:00 Paris time to each channel,
 * once per week and channel even across a restart, through the outbox, with its CSV attached.
 */

const P2 = { impact: "medium", urgency: "medium", workaround: "partial" } as const;
const CHANNELS = ["C-REPORTS", "C-MANAGERS"];

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const reportPosts = (s: SlackHarness) =>
  s.slack
    .of("chat.postMessage")
    .filter((c) => CHANNELS.includes(String(c.body.channel)) && String(c.body.text).includes("Rapport SLA"));

describe("the weekly SLA report", () => {
  it("GIVEN slaReport on two Slack channels THEN Monday 09:00 posts last week's report with its CSV once per channel, not again after a restart, and again the next Monday", async () => {
    const policy = parsePolicy(
      rawPolicy({ slaReport: { channel: CHANNELS.map((c) => `slack:${c}`), day: "mon", time: "09:00" } }),
    );
    h = await startSlackHarness({ policy });
    const { r } = h;
    const at = (t: string) => r.clock.set(paris(t));
    // A P2 opened Tuesday 24 Nov 10:00 and answered 3 hours later (2 h allowed: late by 1 h).
    at("2026-11-24T10:00");
    const t = await r.relais.services.tickets.create(alice, { title: "VPN coupé", assessment: P2 });
    at("2026-11-24T13:00");
    await r.relais.services.tickets.take(alice, t.id);
    expect((await r.relais.resyncTimers()).slaReports).toBe(2);
    expect(await r.relais.resyncTimers()).toMatchObject({ slaReports: 0 }); // already scheduled

    at("2026-11-30T08:59");
    await r.relais.scheduler.tick();
    await h.dispatcher.flush();
    expect(reportPosts(h)).toHaveLength(0);

    at("2026-11-30T09:00");
    await r.relais.scheduler.tick();
    await h.dispatcher.flush();
    const posts = reportPosts(h);
    expect(posts.map((p) => p.body.channel).sort()).toEqual([...CHANNELS].sort());
    expect(String(posts[0]!.body.text)).toContain("Rapport SLA du 23 nov. 2026 au 29 nov. 2026 (heure de Paris)");
    expect(String(posts[0]!.body.text)).toContain("T-1 (P2, Alice) : première réponse dépassée de 1 h");
    // The CSV uploaded beside each post (files.uploadV2 on the fake Slack).
    const completes = h.slack.of("files.completeUploadExternal");
    expect(completes.map((c) => JSON.stringify(c.body))).toEqual([
      expect.stringContaining("C-"),
      expect.stringContaining("C-"),
    ]);
    expect(completes.map((c) => String(c.body.channel_id)).sort()).toEqual([...CHANNELS].sort());
    const upload = h.slack.calls.find((c) => c.method.startsWith("upload/"))!;
    expect(upload.raw).toContain("scope,group,opened,resolved");
    expect(upload.raw).toContain("priority,P2,1,0,1,0,0,180,180");
    const uploadName = h.slack.of("files.getUploadURLExternal")[0]!.body.filename;
    expect(uploadName).toBe("sla-2026-11-23_2026-11-29.csv");

    // A restart at 09:30 (the store reopened, timers resynchronised, the scheduler run again): nothing more.
    at("2026-11-30T09:30");
    await h.restart();
    expect((await h.r.relais.resyncTimers()).slaReports).toBe(0);
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    expect(reportPosts(h)).toHaveLength(2);
    // The job fired again by a replica that lost its lease records no second post (the outbox key).
    await h.r.relais.services.reports.onWeekly(
      { platform: "slack", channel: "C-REPORTS", slot: paris("2026-11-30T09:00").toISO() },
      0,
    );
    await h.dispatcher.flush();
    expect(reportPosts(h)).toHaveLength(2);

    // The next Monday: once more per channel.
    h.r.clock.set(paris("2026-12-07T09:00"));
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    expect(reportPosts(h)).toHaveLength(4);
    expect(String(reportPosts(h).at(-1)!.body.text)).toContain("Rapport SLA du 30 nov. 2026 au 6 déc. 2026");
  });

  it("GIVEN two replicas on one database THEN each channel gets the week's report once", async () => {
    const policy = parsePolicy(
      rawPolicy({ slaReport: { channel: CHANNELS.map((c) => `slack:${c}`), day: "mon", time: "09:00" } }),
    );
    h = await startSlackHarness({ policy });
    const store = await openStore(h.r.url);
    const other = createRelais({ store, policy, clock: h.r.clock, worker: "replica-b" });
    const otherDispatcher = other.dispatcher({ slack: new SlackSender(TOKEN, h.slack.url) }, { prompt: false });
    try {
      h.r.clock.set(paris("2026-11-29T20:00"));
      await Promise.all([h.r.relais.resyncTimers(), other.resyncTimers()]);
      h.r.clock.set(paris("2026-11-30T09:00"));
      await Promise.all([h.r.relais.scheduler.tick(), other.scheduler.tick()]);
      await Promise.all([h.dispatcher.flush(), otherDispatcher.flush()]);
      expect(
        reportPosts(h)
          .map((p) => p.body.channel)
          .sort(),
      ).toEqual([...CHANNELS].sort());
      expect(h.slack.of("files.completeUploadExternal")).toHaveLength(2);
    } finally {
      await otherDispatcher.stop();
      await store.close();
    }
  });

  it("GIVEN the CSV's upload fails after the post went out THEN the retry finds the post and uploads the file: one post, one file", async () => {
    const policy = parsePolicy(rawPolicy({ slaReport: { channel: "slack:C-REPORTS" } }));
    h = await startSlackHarness({ policy });
    h.r.clock.set(paris("2026-11-30T08:00"));
    await h.r.relais.resyncTimers();
    h.slack.fail("files.completeUploadExternal", { status: 200, body: { ok: false, error: "internal_error" } });
    h.r.clock.set(paris("2026-11-30T09:00"));
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    h.r.clock.advance({ seconds: 5 });
    await h.dispatcher.flush();
    expect(h.slack.of("chat.postMessage").filter((c) => c.body.channel === "C-REPORTS")).toHaveLength(1);
    expect(h.slack.of("files.completeUploadExternal")).toHaveLength(2); // the failed one, then the good one
    expect(h.slack.of("conversations.history")).toHaveLength(1); // the post looked for before the retry
    expect(await h.r.relais.store.outbox.countUnsent()).toBe(0);
  });

  it("GIVEN Relais down over Monday 09:00 THEN the report goes out at the restart, once, saying it is late", async () => {
    const policy = parsePolicy(rawPolicy({ slaReport: { channel: "slack:C-REPORTS" } }));
    h = await startSlackHarness({ policy });
    h.r.clock.set(paris("2026-11-29T20:00"));
    await h.r.relais.resyncTimers();
    h.r.clock.set(paris("2026-11-30T10:00"));
    await h.restart();
    await h.r.relais.resyncTimers();
    await h.r.relais.scheduler.tick();
    await h.r.relais.scheduler.tick();
    await h.dispatcher.flush();
    const posts = h.slack.of("chat.postMessage").filter((c) => c.body.channel === "C-REPORTS");
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.body.text)).toContain("Ce rapport part avec 60 min de retard");
  });

  it("GIVEN a report enabled on Sunday 25 October (after the DST change) THEN its first post is Monday 26 October 09:00 CET", async () => {
    const policy = parsePolicy(rawPolicy({ slaReport: { channel: "slack:C-REPORTS" } }));
    h = await startSlackHarness({ policy });
    h.r.clock.set(paris("2026-10-25T12:00"));
    expect((await h.r.relais.resyncTimers()).slaReports).toBe(1);
    const job = await h.r.relais.store.jobs.pending("sla-report:slack:C-REPORTS:2026-W44");
    expect(job?.dueAt.toUTC().toISO()).toBe("2026-10-26T08:00:00.000Z");
  });

  it("GIVEN /sla rapport typed on Slack THEN the report or a polite refusal goes only to the person, the CSV privately", async () => {
    h = await startSlackHarness();
    const answer = async (text: string) => {
      const before = h!.slack.calls.filter((c) => c.method.startsWith("response/")).length;
      const res = await h!.command(text, {}, "/sla");
      const raw = res.text;
      const body = raw ? (JSON.parse(raw) as { text?: string }) : undefined;
      if (body?.text) return body.text + JSON.stringify(body);
      await h!.slack.waitFor(
        (c) => c.filter((x) => x.method.startsWith("response/")).length > before,
        "ephemeral respond",
      );
      const responded = h!.slack.calls.filter((x) => x.method.startsWith("response/")).at(-1)!;
      expect(responded.body.response_type).toBe("ephemeral");
      return JSON.stringify(responded.body);
    };
    expect(await answer("rapport 2026-11-15..2026-11-01")).toContain(
      "La période 2026-11-15..2026-11-01 est à l’envers",
    );
    expect(await answer("rapport P4")).toContain("« P4 » n’est pas une priorité connue : P1, P2, P3.");
    // The refusals record nothing; the report's CSV goes to the person alone, as a file.
    expect(await h.r.relais.store.outbox.countUnsent()).toBe(0);
    const report = await answer("rapport semaine");
    expect(report).toContain("Rapport SLA du 23 nov. 2026 au 24 nov. 2026");
    expect(report).toContain("Le CSV (sla-2026-11-23_2026-11-24.csv) vous est envoyé en message privé.");
    await h.dispatcher.flush();
    const posts = h.slack.of("chat.postMessage");
    expect(posts.map((p) => p.body.channel)).toEqual(["U-ALICE"]);
    expect(String(posts[0]!.body.text)).toContain(
      "Les lignes de votre rapport SLA, en CSV : sla-2026-11-23_2026-11-24.csv",
    );
    expect(h.slack.of("files.completeUploadExternal").map((c) => String(c.body.channel_id))).toEqual(["U-ALICE"]);
    const upload = h.slack.calls.find((c) => c.method.startsWith("upload/"))!;
    expect(upload.raw).toContain("scope,group,opened,resolved");
  });

  it("GIVEN the shipped policy THEN the weekly report is off: nothing is scheduled", async () => {
    h = await startSlackHarness();
    expect(h.r.relais.services.policy.slaReport).toBeNull();
    expect((await h.r.relais.resyncTimers()).slaReports).toBe(0);
    expect(await h.r.relais.store.jobs.countPending()).toBe(0);
  });

  it.each([
    [{ channel: "C0123" }, "slaReport.channel"],
    [{ channel: "slack:C1", day: "lundi" }, "slaReport.day"],
    [{ channel: "slack:C1", time: "9h" }, "slaReport.time"],
  ])("refuses the policy %j, naming %s", (slaReport, path) => {
    expect(() => parsePolicy(rawPolicy({ slaReport }), "policy.yaml")).toThrow(path);
  });
});

const csvReply: Reply = {
  blocks: [{ type: "text", text: "Rapport SLA du 23 nov. 2026 au 29 nov. 2026" }],
  ephemeral: false,
  file: {
    name: "sla-2026-11-23_2026-11-29.csv",
    title: "Rapport SLA",
    content: "scope,group\r\ntotal,\r\n",
    mime: "text/csv",
  },
};

describe("a post's file on Discord and in the shell", () => {
  it("GIVEN a post with a CSV THEN Discord gets one message with the file attached", async () => {
    const discord = await new FakeDiscordApi().start();
    try {
      const sender = new DiscordSender(new REST({ api: discord.api, retries: 1, timeout: 5000 }).setToken("t"));
      await sender.send("555", csvReply, undefined, "sla-report:2026-W49:discord:555");
      const [call, ...more] = discord.of("POST", /^\/channels\/555\/messages$/);
      expect(more).toHaveLength(0);
      expect(call!.body).toMatchObject({ attachments: [{ id: 0, filename: "sla-2026-11-23_2026-11-29.csv" }] });
      expect(call!.raw).toContain('filename="sla-2026-11-23_2026-11-29.csv"');
      expect(call!.raw).toContain("scope,group\r\ntotal,");
    } finally {
      await discord.stop();
    }
  });

  it("GIVEN /sla rapport typed in the terminal chat THEN the report prints with the path of its CSV", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relais-reports-"));
    const r = await startRelais();
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = "";
      output.on("data", (c: Buffer) => {
        printed += c.toString();
      });
      const ana = { id: "shell:ana", name: "ana" };
      const done = runShell({
        input,
        output,
        commands,
        context: (a) => r.relais.context(a, "fr"),
        actor: ana,
        texts: r.relais.context(ana, "fr").texts,
        interactive: false,
        filesDir: dir,
      });
      input.end("/sla rapport 2026-11-16..2026-11-22 P2\n");
      await done;
      const path = join(dir, "sla-2026-11-16_2026-11-22-P2.csv");
      expect(printed).toContain("Rapport SLA P2 du 16 nov. 2026 au 22 nov. 2026");
      expect(printed).toContain(`📎 ${path}`);
      expect(readFileSync(path, "utf8")).toMatch(/^scope,group,opened,/);
    } finally {
      await r.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN a post with a CSV THEN the shell writes it under the data folder and prints its path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relais-reports-"));
    try {
      const output = new PassThrough();
      let printed = "";
      output.on("data", (c: Buffer) => {
        printed += c.toString();
      });
      await new ShellSender(new ShellScreen(output), join(dir, "reports")).send("rapports", csvReply);
      const path = join(dir, "reports", "sla-2026-11-23_2026-11-29.csv");
      expect(readFileSync(path, "utf8")).toBe("scope,group\r\ntotal,\r\n");
      expect(printed).toContain(`📎 ${path}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
