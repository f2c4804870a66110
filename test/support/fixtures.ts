import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { parse } from "yaml";
import { ManualClock } from "../../src/clock.ts";
import { loadPolicy, parsePolicy, type Policy } from "../../src/config/policy.ts";
import type { Actor } from "../../src/timeline/events.ts";

/**
 * The one set of test fixtures: the shipped policy and its variants, Paris instants and the
 * standard test clock, and the people who type commands.
 */

/** The shipped default policy file (config/policy.yaml). */
export const POLICY_PATH = new URL("../../config/policy.yaml", import.meta.url).pathname;
export const ZONE = "Europe/Paris";

/** The shipped default policy, loaded the way Relais loads it. */
export function defaultPolicy(): Policy {
  return loadPolicy(POLICY_PATH);
}

/**
 * The shipped policy file as raw (unparsed) data, a fresh copy each call, with top-level keys
 * replaced by `overrides`: the way to derive variants through parsePolicy.
 */
export function rawPolicy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(parse(readFileSync(POLICY_PATH, "utf8")) as Record<string, unknown>), ...overrides };
}

/** A validated variant of the shipped policy. */
export function variant(overrides: Record<string, unknown>): Policy {
  return parsePolicy(rawPolicy(overrides), "test variant");
}

/** The shipped policy with these user ids as managers (they may decide escalations, reassign owners). */
export function withManagers(...userIds: string[]): Policy {
  const { managers } = rawPolicy() as { managers: Record<string, unknown> };
  return variant({ managers: { ...managers, users: userIds } });
}

/**
 * The shipped policy with escalation notes posted to `channel`, and these managers (user ids
 * and/or a role) deciding them.
 */
export function withEscalation(
  channel: string | Record<string, string>,
  managers: { users?: string[]; role?: string },
): Policy {
  const raw = rawPolicy() as { escalation: Record<string, unknown>; managers: Record<string, unknown> };
  return variant({ escalation: { ...raw.escalation, channel }, managers: { ...raw.managers, ...managers } });
}

/** Lunch-break variant: 08:00-12:00 and 13:00-17:00 on weekdays. */
export const LUNCH_HOURS = {
  mon: ["08:00-12:00", "13:00-17:00"],
  tue: ["08:00-12:00", "13:00-17:00"],
  wed: ["08:00-12:00", "13:00-17:00"],
  thu: ["08:00-12:00", "13:00-17:00"],
  fri: ["08:00-12:00", "13:00-17:00"],
  sat: [],
  sun: [],
};

/** A local wall-clock instant in Paris, e.g. paris("2026-11-20T15:00"). */
export function paris(iso: string): DateTime {
  const t = DateTime.fromISO(iso, { zone: ZONE });
  if (!t.isValid) throw new Error(`bad test instant ${iso}: ${t.invalidExplanation}`);
  return t;
}

/** The full ISO text of an instant as seen in Paris (offset included), for exact comparisons. */
export function iso(t: DateTime | null | undefined): string | null {
  return t ? t.setZone(ZONE).toISO() : null;
}

/** The standard test instant: Tuesday 24 November 2026, 10:00 in Paris (a business day, mid-morning). */
export const TUESDAY_10 = "2026-11-24T10:00";

/** A manual clock, at the standard Tuesday 10:00 unless told otherwise. */
export function manualClock(at: string | DateTime = TUESDAY_10): ManualClock {
  return new ManualClock(typeof at === "string" ? paris(at) : at);
}

export const alice: Actor = { id: "U-alice", name: "Alice" };
export const bob: Actor = { id: "U-bob", name: "Bob" };
/** Made a manager by the tests that need one (withManagers(carol.id)). */
export const carol: Actor = { id: "shell:carol", name: "Carol" };

/** The answers to the /outage declare form for a P1 mail outage on #support and #compta (shell form values). */
export const P1_OUTAGE_FORM = {
  title: "Messagerie indisponible",
  services: "Exchange, Outlook",
  impactText: "tout le siège (200 utilisateurs)",
  impact: "élevé",
  urgency: "haute",
  workaround: "aucun contournement",
  workaroundText: "Webmail via https://mail.exemple.fr",
  channels: "#support, #compta",
};

/** A complete billing escalation note (the /escalate form's answers, by field id). */
export const BILLING_NOTE = {
  type: "billing",
  direction: "functional",
  targetTeam: "Facturation N2",
  why: "Seule la facturation peut annuler une facture",
  request: "Annuler la facture F-2026-114 et confirmer le remboursement",
  urgency: "24h",
  nextUpdate: "16:00",
  facts: "Client débité deux fois le 23/11",
  evidence: "https://erp/F-2026-114",
  actionsTaken: "Vérification du prélèvement",
  impact: "1 client, 1 240 €",
  deadline: "clôture comptable le 30/11",
  recommendation: "A : annuler ; B : avoir",
};

/** The heart of a technical escalation of a VPN outage to the network team; tests add the next update, facts… */
export const VPN_NOTE = {
  type: "technical",
  direction: "functional",
  targetTeam: "Réseau N3",
  why: "Seul le N3 a accès aux routeurs",
  request: "Identifier la cause racine et confirmer un ETA de correctif",
  urgency: "immediate",
  impact: "40 utilisateurs",
};
