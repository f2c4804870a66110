import { afterEach, describe, expect, it } from "vitest";
import { type OutboxRelais, startRelaisWithOutbox } from "../helpers.ts";
import { alice, bob, P1_OUTAGE_FORM, paris, TUESDAY_10 } from "../support/fixtures.ts";

let r: OutboxRelais;
afterEach(() => r.close());

async function start(iso = TUESDAY_10) {
  r = await startRelaisWithOutbox({ now: paris(iso) });
}

const P2_FORM = {
  title: "ERP lent",
  services: "ERP",
  impactText: "la comptabilité",
  impact: "moyen",
  urgency: "moyenne",
  workaround: "contournement partiel",
  channels: "#compta",
};

describe("a P1 outage on an injected clock", () => {
  it("GIVEN a P1 declared at 10:00 THEN every affected channel gets the announcement and an update every 60 min until resolved", async () => {
    await start();
    const declared = await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    expect(declared.error).toBeUndefined();
    expect(JSON.stringify(declared.blocks)).toContain("INC-1 déclaré");
    await r.dispatcher.flush();
    for (const ch of ["support", "compta"]) {
      expect(r.out.to(ch)).toHaveLength(1);
      expect(r.out.to(ch)[0]).toContain("🚨 INC-1 — Messagerie indisponible. Toutes nos excuses");
      expect(r.out.to(ch)[0]).toContain("Webmail via https://mail.exemple.fr");
      expect(r.out.to(ch)[0]).toContain("Prochain point : 11:00 (heure de Paris)");
    }

    // The owner is reminded 10 minutes before the promised update.
    await r.at("2026-11-24T10:49");
    expect(r.out.to("U-alice")).toHaveLength(0);
    await r.at("2026-11-24T10:50");
    expect(r.out.to("U-alice")).toEqual([
      expect.stringContaining("⏰ Rappel : le point de INC-1 est promis à 11:00 (heure de Paris)"),
    ]);

    // Silent owner: "no change" goes out on time, with the next promise.
    await r.at("2026-11-24T11:00");
    for (const ch of ["support", "compta"]) {
      expect(r.out.to(ch)[1]).toBe(
        "⏱️ INC-1 — Pas de changement depuis 10:00 (heure de Paris). Prochain point à 12:00.",
      );
    }

    // The owner posts: the update goes out at once and the promise moves with it.
    r.clock.set(paris("2026-11-24T11:30"));
    const upd = await r.say("/outage update INC-1", {
      form: {
        stage: "diagnostic",
        nextAction: "Basculer sur le serveur de secours",
        cause: "Disque saturé sur le serveur principal",
        estimate: "13:00",
      },
    });
    expect(upd.error).toBeUndefined();
    await r.dispatcher.flush();
    expect(r.out.to("support")[2]).toContain(
      "🔄 INC-1 — Étape : diagnostic. Blocage : —. Prochaine action : Basculer sur le serveur de secours. Prochain point : 12:30 (heure de Paris).",
    );
    await r.at("2026-11-24T12:00"); // the old 12:00 promise was replaced: nothing fires
    expect(r.out.to("support")).toHaveLength(3);
    await r.at("2026-11-24T12:30");
    expect(r.out.to("support")[3]).toContain(
      "Pas de changement depuis 11:30 (heure de Paris). Prochain point à 13:30.",
    );

    // A later estimate: the five blocks of seed 002.
    r.clock.set(paris("2026-11-24T12:45"));
    await r.say("/outage update INC-1", {
      form: {
        stage: "validation",
        nextAction: "Tester la bascule",
        cause: "La synchronisation est plus longue que prévu",
        estimate: "15:00",
      },
    });
    await r.dispatcher.flush();
    const delay = r.out.to("compta").at(-1)!;
    expect(delay).toContain("Nous avions annoncé un rétablissement vers 13:00 (heure de Paris)");
    expect(delay).toContain("Cause générale : La synchronisation est plus longue que prévu");
    expect(delay).toContain("Action en cours : validation — Tester la bascule");
    expect(delay).toContain("Nouvelle estimation : 15:00. Prochain point : 13:45");
    expect(delay.split("\n").filter((l) => l.startsWith("  • "))).toHaveLength(4); // no compensation block: policy has none

    r.clock.set(paris("2026-11-24T13:20"));
    const res = await r.say("/outage resolve INC-1", {
      form: {
        whatHappened: "Disque saturé par les journaux",
        result: "Rétabli",
        prevention: "Rotation des journaux",
        followUp: "Ticket T-12 : supervision du disque",
      },
    });
    expect(res.error).toBeUndefined();
    await r.dispatcher.flush();
    expect(r.out.to("support").at(-1)).toContain("✅ INC-1 — Messagerie indisponible : service rétabli.");
    // Nothing fires after the resolution.
    const count = r.out.sent.length;
    await r.at("2026-11-24T16:00");
    expect(r.out.sent).toHaveLength(count);

    const report = await r.text("/outage rapport INC-1");
    for (const part of [
      "# Rapport d’incident INC-1 — Messagerie indisponible",
      "## Ce qui s’est passé",
      "Disque saturé par les journaux",
      "## Chronologie",
      "mar. 24 nov. 10:00 — panne déclarée par Alice (P1)",
      "pas de changement, point tenu à l’heure",
      "## Personnes impliquées",
      "- Alice (responsable)",
      "## Actions menées",
      "Basculer sur le serveur de secours",
      "## Prévention",
      "Rotation des journaux",
      "## Suivi",
      "Ticket T-12",
    ]) {
      expect(report).toContain(part);
    }
  });

  it("GIVEN someone other than the owner THEN their update reaches no channel, goes to the owner as a draft, and goes out once the owner publishes it", async () => {
    await start();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    const before = r.out.to("support").length;
    const drafted = await r.say("/outage update INC-1 diagnostic Redémarrer le service", { actor: bob });
    expect(drafted.ephemeral).toBe(true);
    expect(JSON.stringify(drafted.blocks)).toContain("Alice est responsable de INC-1 et parle pour l’équipe");
    await r.dispatcher.flush();
    expect(r.out.to("support")).toHaveLength(before);
    expect(r.out.to("compta")).toHaveLength(before);
    expect(r.out.to("U-alice").at(-1)).toContain("Bob propose un point pour INC-1 (D-1)");
    expect((await r.say("/ticket approve D-1", { actor: bob })).error).toBe("not_owner");
    expect((await r.say("/ticket approve D-1", { actor: alice })).error).toBeUndefined();
    await r.dispatcher.flush();
    expect(r.out.to("support").at(-1)).toContain("Prochaine action : Redémarrer le service");
    expect(r.out.to("support")).toHaveLength(before + 1);
  });

  it("GIVEN a next update later than the cadence THEN a reason is required", async () => {
    await start();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    const refused = await r.say("/outage update INC-1", {
      form: { stage: "diagnostic", nextAction: "Attendre le fournisseur", nextUpdate: "+3h" },
    });
    expect(refused.error).toBe("later_update_needs_reason");
    expect(JSON.stringify(refused.blocks)).toContain("dépasse la cadence");
    const ok = await r.say("/outage update INC-1", {
      form: {
        stage: "diagnostic",
        nextAction: "Attendre le fournisseur",
        nextUpdate: "+3h",
        reason: "le fournisseur intervient à 13:00",
      },
    });
    expect(ok.error).toBeUndefined();
  });

  it.each([
    ["/outage update INC-9 diagnostic X", "outage_not_found"],
    ["/outage update T-1 diagnostic X", "invalid_reference"],
    ["/outage report INC-0", "outage_not_found"],
    ["/outage frobnicate", "unknown_subcommand"],
  ])("GIVEN %j THEN %s", async (line, code) => {
    await start();
    expect((await r.say(line, { form: {} })).error).toBe(code);
  });

  it("GIVEN no affected channel THEN the declaration is refused and nothing is stored", async () => {
    await start();
    const refused = await r.say("/outage declare", { form: { ...P1_OUTAGE_FORM, channels: "  ,  " } });
    expect(refused.error).toBe("no_channels");
    expect(await r.relais.services.outages.ongoing()).toEqual([]);
  });
});

describe("cadences in business time", () => {
  it("GIVEN a P2 declared Friday 17:00 THEN its updates come every 4 business hours, across the weekend", async () => {
    await start("2026-11-27T17:00");
    await r.say("/outage declare", { form: P2_FORM });
    await r.dispatcher.flush();
    expect(r.out.to("compta")[0]).toContain("Prochain point : lun. 30 nov. 11:00");
    await r.at("2026-11-28T12:00"); // Saturday: nothing
    expect(r.out.to("compta")).toHaveLength(1);
    await r.at("2026-11-30T11:00");
    expect(r.out.to("compta")[1]).toContain(
      "Pas de changement depuis ven. 27 nov. 17:00 (heure de Paris). Prochain point à 15:00.",
    );
  });
});

describe("after downtime", () => {
  it("GIVEN Relais restarted after missing a due update THEN the update fires once, late, and says so", async () => {
    await start();
    await r.say("/outage declare", { form: P1_OUTAGE_FORM });
    await r.dispatcher.flush();
    // Down from 10:05 to 11:40: on restart the overdue job fires at once.
    await r.at("2026-11-24T11:40");
    const late = r.out.to("support").filter((t) => t.includes("Pas de changement"));
    expect(late).toHaveLength(1);
    expect(late[0]).toContain("Ce message part avec 40 min de retard");
    expect(late[0]).toContain("Prochain point à 12:40.");
  });
});
