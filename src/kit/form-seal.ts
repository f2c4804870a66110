import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FormState } from "./forms.ts";

/**
 * A form's state as it travels through a client that could change it (Slack's private_metadata):
 * signed by Relais with HMAC-SHA256 over the person it was opened for and the serialized state, and
 * verified on submission with a timing-safe compare. A changed or unsigned state is not opened.
 * Signing is one layer; every value it carries is still checked again as if typed (checkGiven).
 */
export class FormSeal {
  private constructor(private readonly key: Buffer) {}

  /**
   * The key: derived from a configured key (RELAIS_FORM_KEY) or else from the platform's signing
   * secret, so every replica of one deployment signs alike; a random one when neither exists
   * (forms then open and submit within one process only).
   */
  static fromSecrets(configured: string | undefined, signingSecret: string | undefined): FormSeal {
    const secret = configured || signingSecret;
    if (!secret) return new FormSeal(randomBytes(32));
    return new FormSeal(createHmac("sha256", secret).update("relais/form-metadata/v1").digest());
  }

  /** `<signature>.<state as JSON>`: what the form carries for `userId`. */
  seal(state: FormState, userId: string): string {
    const json = JSON.stringify(state);
    return `${this.sign(userId, json)}.${json}`;
  }

  /** The state if `sealed` was signed by this key for `userId`; undefined otherwise. */
  open(sealed: string | undefined, userId: string): FormState | undefined {
    const dot = sealed?.indexOf(".") ?? -1;
    if (!sealed || dot < 0) return undefined;
    const given = Buffer.from(sealed.slice(0, dot), "hex");
    const json = sealed.slice(dot + 1);
    const expected = Buffer.from(this.sign(userId, json), "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const state = JSON.parse(json) as unknown;
      return isFormState(state) ? state : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(userId: string, json: string): string {
    // The user id first, then a separator no id holds: a state signed for one person opens for no other.
    return createHmac("sha256", this.key).update(`${userId}\n${json}`).digest("hex");
  }
}

function isFormState(v: unknown): v is FormState {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.command === "string" &&
    typeof s.sub === "string" &&
    typeof s.channel === "string" &&
    typeof s.given === "object" &&
    s.given !== null &&
    !Array.isArray(s.given)
  );
}
