import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { paris } from "../../support/fixtures.ts";
import { MAIL_OUTAGE, startSlackHarness, viewSubmission, type SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await startSlackHarness();
});
afterEach(() => h.close());

const posts = (channel: string) =>
  h.slack
    .of("chat.postMessage")
    .filter((c) => c.body.channel === channel)
    .map((c) => JSON.stringify(c.body.blocks));

describe("an outage on Slack", () => {
  it("GIVEN /outage declare THEN an incident room is created with the owner and a pinned live summary, every channel is told, updates edit the summary, and the report is attached", async () => {
    await h.command("declare", {}, "/outage");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "declaration form");
    const view = h.slack.of("views.open")[0]!.body.view as {
      private_metadata: string;
      callback_id: string;
      title: { text: string };
    };
    expect(view.title.text).toBe("Déclarer une panne");
    await h.interact(
      viewSubmission(view, { ...MAIL_OUTAGE, workaroundText: "Webmail", channels: "conversations:C-A,C-B" }),
    );
    await h.slack.waitFor((c) => c.some((x) => x.method === "pins.add"), "pinned summary");

    const created = h.slack.of("conversations.create")[0]!;
    expect(created.body.name).toBe("inc-2026-11-24-messagerie-indisponible");
    const room = h.slack.of("pins.add")[0]!.body.channel as string;
    expect(room).toMatch(/^C-INC-/);
    expect(h.slack.of("conversations.invite")[0]!.body).toMatchObject({ channel: room, users: "U-ALICE" });
    expect(posts(room)[0]).toContain("INC-1 — Messagerie indisponible (P1, en cours)");

    // The declaring channel is told once the declaration is complete (announcements recorded).
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.postMessage" && x.body.channel === "C-HELP"),
      "declared reply",
    );
    await h.surface.idle(); // the room's announcement is recorded once the room is open (after the commit)
    await h.dispatcher.flush();
    for (const ch of ["C-A", "C-B", room]) expect(posts(ch).some((p) => p.includes("Toutes nos excuses"))).toBe(true);

    h.r.clock.set(paris("2026-11-24T10:20"));
    await h.command("update INC-1 diagnostic Basculer sur le serveur de secours", {}, "/outage");
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.update" && x.body.channel === room),
      "summary edited",
    );
    expect(JSON.stringify(h.slack.of("chat.update").at(-1)!.body.blocks)).toContain(
      "Basculer sur le serveur de secours",
    );
    await h.dispatcher.flush();
    expect(posts("C-B").at(-1)).toContain("Étape : diagnostic");

    await h.command("resolve INC-1", {}, "/outage");
    await h.slack.waitFor((c) => c.filter((x) => x.method === "views.open").length === 2, "resolution form");
    const resolveView = h.slack.of("views.open")[1]!.body.view as { private_metadata: string; callback_id: string };
    await h.interact(
      viewSubmission(
        resolveView,
        { whatHappened: "Disque plein", result: "Rétabli", prevention: "Alerte de remplissage", followUp: "T-2" },
        "V-RESOLVE",
      ),
    );
    await h.slack.waitFor((c) => c.some((x) => x.method === "files.completeUploadExternal"), "report attached");
    const upload = h.slack.calls.find((x) => x.method.startsWith("upload/"))!;
    expect(upload.raw).toContain("# Rapport d’incident INC-1 — Messagerie indisponible");
    expect(upload.raw).toContain("Disque plein");
    expect(JSON.stringify(h.slack.of("files.completeUploadExternal")[0]!.body)).toContain(room);
    await h.dispatcher.flush();
    expect(JSON.stringify(h.slack.of("chat.update").at(-1)!.body.blocks)).toContain("rétabli");
  });

  it("GIVEN Slack refuses to create the room (missing scope) THEN the outage goes on in the declaring channel", async () => {
    h.slack.fail("conversations.create", {
      status: 200,
      body: { ok: false, error: "missing_scope", needed: "channels:manage" },
    });
    await h.command("declare", {}, "/outage");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "declaration form");
    const view = h.slack.of("views.open")[0]!.body.view as { private_metadata: string; callback_id: string };
    await h.interact(
      viewSubmission(view, {
        title: "VPN coupé",
        services: "VPN",
        impactText: "télétravail",
        impact: "select:high",
        urgency: "select:high",
        workaround: "select:none",
        channels: "conversations:C-A",
      }),
    );
    await h.slack.waitFor(
      (c) => c.some((x) => x.method === "chat.postMessage" && x.body.channel === "C-HELP"),
      "declared reply",
    );
    await h.dispatcher.flush();
    expect(posts("C-A")[0]).toContain("INC-1 — VPN coupé");
    expect(posts("C-HELP").some((p) => p.includes("Toutes nos excuses"))).toBe(true);
  });

  it("GIVEN the room's summary rate-limited while the outage is updated twice THEN it is edited through the outbox: once, after the Retry-After, with the latest state", async () => {
    await h.command("declare", {}, "/outage");
    await h.slack.waitFor((c) => c.some((x) => x.method === "views.open"), "declaration form");
    const view = h.slack.of("views.open")[0]!.body.view as { private_metadata: string; callback_id: string };
    await h.interact(
      viewSubmission(view, { ...MAIL_OUTAGE, workaroundText: "Webmail", channels: "conversations:C-A" }),
    );
    await h.slack.waitFor((c) => c.some((x) => x.method === "pins.add"), "pinned summary");
    const pinned = h.slack.of("pins.add")[0]!.body as { channel: string; timestamp: string };
    await h.surface.idle();
    await h.dispatcher.flush();
    let storm = true;
    h.slack.failWhen("chat.update", () =>
      storm ? { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "30" } } : undefined,
    );
    h.r.clock.set(paris("2026-11-24T10:20"));
    await h.command("update INC-1 diagnostic Basculer sur le serveur de secours", {}, "/outage");
    await h.surface.idle();
    await h.command("update INC-1 diagnostic Remplacer le disque", {}, "/outage");
    await h.surface.idle();
    await h.dispatcher.flush();
    // Refused (429): nothing edited yet, and nothing lost.
    expect(h.slack.of("chat.update").length).toBeGreaterThan(0);
    expect(h.slack.updated).toEqual([]);
    storm = false;
    h.r.clock.set(paris("2026-11-24T10:21"));
    await h.dispatcher.flush();
    // The pinned summary, edited once (two updates, coalesced), showing the latest one.
    expect(h.slack.updated.map((u) => `${u.channel} ${u.ts}`)).toEqual([`${pinned.channel} ${pinned.timestamp}`]);
    expect(h.slack.updated[0]!.text).toContain("Remplacer le disque");
    expect(await h.r.relais.store.outbox.countUnsent()).toBe(0);
  });
});
