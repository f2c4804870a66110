import { RelaisError } from "../errors.ts";
import { fold } from "../text.ts";

/**
 * Seed 003, "Posez une demande précise au destinataire (une décision, une analyse, une action)":
 * "voir ticket", "regarder svp" or "urgent" is no request. A precise request has a few words and
 * a verb saying what is expected — « Identifier cause racine », « confirmer bug + ETA correctif »,
 * « Valider exception », « trancher entre A et B » (the seed's table).
 */

/** At least this many words: "voir ticket" and "regarder svp" are two. */
export const REQUEST_MIN_WORDS = 3;

/**
 * Stems (folded: lower case, no accents) of verbs of decision, analysis or action, French then
 * English; a word starting with one counts ("validez", "validé", "validate"). "voir", "regarder",
 * "look", "check" are left out on purpose: they ask for attention, not for an outcome.
 */
const DECISION_ANALYSIS_ACTION = [
  // French: decide
  "valid",
  "decid",
  "tranch",
  "arbitr",
  "approuv",
  "autoris",
  "refus",
  "accord",
  "choisi",
  "confirm",
  "signer",
  "prioris",
  // French: analyse
  "identifi",
  "analys",
  "diagnost",
  "investig",
  "determin",
  "expliqu",
  "evalu",
  "estim",
  "verifi",
  "qualifi",
  "chiffr",
  // French: act
  "corrig",
  "annul",
  "rembours",
  "fourni",
  "deploi",
  "deploy",
  "redemarr",
  "restaur",
  "retabl",
  "repar",
  "remplac",
  "install",
  "creer",
  "supprim",
  "modifi",
  "augment",
  "debloqu",
  "reinitialis",
  "appliqu",
  "livr",
  "planifi",
  "redig",
  "communiqu",
  "transmet",
  "affecter",
  "affectez",
  "allou",
  "emet",
  "reactiv",
  "activer",
  "activez",
  "desactiv",
  "migr",
  "etend",
  "mettre",
  "ouvrir",
  "relanc",
  "patch",
  // English: decide
  "decide",
  "approv",
  "authori",
  "allow",
  "reject",
  "grant",
  "choose",
  "select",
  "prioriti",
  // English: analyse
  "identify",
  "analy",
  "diagnos",
  "investigat",
  "determine",
  "explain",
  "evaluat",
  "assess",
  "estimat",
  "verify",
  "confirm",
  "quote",
  // English: act
  "fix",
  "correct",
  "cancel",
  "refund",
  "provide",
  "restart",
  "reboot",
  "restor",
  "repair",
  "replac",
  "create",
  "delete",
  "remov",
  "assign",
  "allocat",
  "roll",
  "increas",
  "unblock",
  "reset",
  "apply",
  "schedul",
  "write",
  "enabl",
  "disabl",
  "migrat",
  "extend",
  "send",
] as const;

/** The words of a text, folded: "Validez l’exception !" → ["validez", "l", "exception"]. */
function words(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Whether `text` asks for a decision, an analysis or an action in a few words (seed 003). */
export function isPreciseRequest(text: string): boolean {
  const ws = words(text);
  // "d'annuler", "l'exception": elisions are split off above, so "annuler" is found as a word.
  const counted = ws.filter((w) => w.length > 1 || /\d/.test(w));
  if (counted.length < REQUEST_MIN_WORDS) return false;
  return ws.some((w) => DECISION_ANALYSIS_ACTION.some((stem) => w.startsWith(stem)));
}

/**
 * Refuses a vague precise request with the seed's examples, in the reader's language (the
 * `example` parameter is a catalog key). The form's field check and the service both use it.
 */
export function checkPreciseRequest(text: string): void {
  if (!isPreciseRequest(text)) {
    throw new RelaisError("vague_request", { value: text, example: "escalation.request_example" });
  }
}
