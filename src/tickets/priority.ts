import { RelaisError } from "../errors.ts";

/**
 * Defensible priority (seed 002): P1/P2/P3 from impact × urgency × workaround, and the rule that a
 * manual change needs a reason tied to an objective criterion ("the requester insists" is not one).
 */
export const PRIORITIES = ["P1", "P2", "P3"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const IMPACTS = ["high", "medium", "low"] as const;
export const URGENCIES = ["high", "medium", "low"] as const;
export const WORKAROUNDS = ["none", "partial", "full"] as const;
export type Impact = (typeof IMPACTS)[number];
export type Urgency = (typeof URGENCIES)[number];
export type Workaround = (typeof WORKAROUNDS)[number];

export interface Assessment {
  impact: Impact;
  urgency: Urgency;
  workaround: Workaround;
}

/**
 * The matrix, following the grid's criteria column:
 * - P1 "service indisponible, impact large, pas de contournement": high impact, no workaround, and
 *   damage is not far off (urgency not low);
 * - P3 "incident mineur / question, faible impact": low impact unless urgent, or a full workaround
 *   for anything short of a wide outage;
 * - P2 "fonction majeure dégradée, contournement partiel": everything in between.
 */
export function priorityOf({ impact, urgency, workaround }: Assessment): Priority {
  if (impact === "high" && workaround === "none" && urgency !== "low") return "P1";
  if (impact === "low" && urgency !== "high") return "P3";
  if (workaround === "full" && impact !== "high") return "P3";
  return "P2";
}

export function comparePriority(a: Priority, b: Priority): number {
  return PRIORITIES.indexOf(a) - PRIORITIES.indexOf(b);
}

/** The objective criteria of seed 002's matrix a reason can rest on. */
export type Criterion = "users" | "outage" | "workaround" | "deadline" | "security" | "financial" | "legal";

// Each criterion in French and English, matched as whole words (accents included, hence \p{L}
// rather than \b). A number of people or sites counts as impact on its own.
const word = (...alternatives: string[]) =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "iu");

const CRITERIA: ReadonlyArray<[Criterion, RegExp]> = [
  [
    "users",
    word(
      "\\d+\\s*\\+?\\s*(?:utilisateurs?|users?|personnes?|people|postes?|agents?|salariés?|employees?|sites?|services?|clients?|customers?|collaborateurs?|magasins?|stores?|agences?|branches?)",
      "tout le monde",
      "tous les utilisateurs",
      "everyone",
      "all users",
      "whole (?:team|site|company)",
      "toute l['’]équipe",
      "tout le service",
      "toute l['’]entreprise",
    ),
  ],
  [
    "outage",
    word(
      "indisponibles?",
      "inaccessibles?",
      "hors service",
      "en panne",
      "panne",
      "down",
      "outage",
      "unavailable",
      "unreachable",
      "bloqu(?:é|és|ée|ées)",
      "blocked",
      "arrêt",
      "stopped",
      "crash(?:ed)?",
      "ne fonctionne plus",
      "no longer works",
    ),
  ],
  [
    "workaround",
    word(
      "plus de contournement",
      "aucun contournement",
      "contournement",
      "workaround",
      "no (?:longer any )?work-?around",
    ),
  ],
  [
    "deadline",
    word(
      "échéance",
      "deadline",
      "clôture",
      "closing",
      "audit",
      "lancement",
      "launch",
      "livraison",
      "delivery",
      "paie",
      "payroll",
      "avant (?:le |la )?\\d",
      "before \\d",
      "d['’]ici \\d",
      "by \\d",
      "contractuel(?:le)?",
      "contractual",
    ),
  ],
  [
    "security",
    word(
      "sécurité",
      "security",
      "rançongiciel",
      "ransomware",
      "phishing",
      "hameçonnage",
      "fuite",
      "leak",
      "breach",
      "compromis",
      "compromised",
      "virus",
      "malware",
      "intrusion",
    ),
  ],
  [
    "financial",
    word("perte", "loss", "financi(?:er|ère|al)", "chiffre d['’]affaires", "revenue", "facturation", "billing"),
  ],
  [
    "legal",
    word("légal", "legal", "juridique", "rgpd", "gdpr", "conformité", "compliance", "réglementaire", "regulatory"),
  ],
];

/**
 * The criterion a priority-change reason rests on, or undefined when it names none (pressure,
 * insistence or a bare opinion). Matches French and English wording.
 */
export function criterionOf(reason: string): Criterion | undefined {
  for (const [criterion, re] of CRITERIA) if (re.test(reason)) return criterion;
  return undefined;
}

/** The criterion a reason rests on, or the refusal (rule 2): the service and the form's field both call it. */
export function objectiveCriterion(reason: string): Criterion {
  const criterion = criterionOf(reason);
  if (!criterion) throw new RelaisError("priority_reason_not_objective", { reason });
  return criterion;
}
