import type { ClaimFirst, OnceKey } from "./once.ts";
import type { ErrorCode } from "../errors.ts";
import type { Logger } from "pino";
import type { Reply } from "../reply.ts";
import type { ChatThreadRef, Platform } from "../store/chat-repositories.ts";
import type { CommandContext } from "./command.ts";
import type { Encoded, FormRequest } from "./forms.ts";

/**
 * What a surface supplies to the pipeline (src/kit/pipeline.ts): only what differs between
 * platforms. Everything else — resolving, prechecks, forms' values, running, where a reply goes —
 * is the pipeline's, written once.
 */

/** A posted message (Slack: channel + ts; Discord: channel + message id, or the thread's id). */
export type MessageRef = ChatThreadRef;

/**
 * Posting in channels at once, for surfaces that have them (Slack, Discord): public replies about no
 * ticket, and answers to a mention. A ticket's card and its thread go through the outbox instead
 * (src/kit/card-thread.ts).
 */
export interface ChannelPort {
  platform: Platform;
  post(channel: string, reply: Reply): Promise<MessageRef>;
  postInThread(thread: MessageRef, reply: Reply): Promise<void>;
}

/** One interaction (a command, a click, a submission) as its surface answers it. */
export interface InteractionPort {
  ctx: CommandContext;
  log?: Logger;
  /**
   * Acknowledges now, before any slow work (the platforms time acks: 3 s). `next` says what follows:
   * a form (on Discord the modal itself is the acknowledgement) or work whose answer comes later.
   */
  ack(next: "form" | "work"): Promise<void>;
  /** The form opening is the acknowledgement (Discord's modal): `ack("form")` sends nothing. */
  formIsAck?: boolean;
  /** When the request arrived (performance.now()), for the ack's latency; the pipeline's start otherwise. */
  receivedAt?: number;
  /**
   * What makes this delivery the same as another (src/kit/once.ts): claimed durably after the ack,
   * just before the work, which is skipped when a claim is already there.
   */
  once?: readonly OnceKey[];
  /**
   * Keys claimed durably before the ack (Discord takes one answer per interaction: a repeat must not
   * be answered again), with the command's record when one is made, in the same transaction. A
   * repeat is not handled; `repeated` acknowledges it if it must be (a double click).
   */
  claimFirst?: ClaimFirst;
  /** Answers the person only (errors, help, private replies, or everything on Discord). */
  answer(reply: Reply): Promise<void>;
  openForm(form: FormRequest): Promise<void>;
  /**
   * A submitted form refused before any work: one message per field id, shown beside the fields,
   * the form kept with what was typed (`typed`, by field id: what a surface that closes its form
   * needs to show it again filled in).
   */
  formErrors(
    errors: Record<string, string>,
    typed: Readonly<Record<string, string>>,
    /** The refusal's code (the shell's reply carries it, as any refusal's does). */
    code?: ErrorCode,
  ): Promise<void>;
  /** Fields a form shows at once (Discord: five a modal); all of them by default. */
  formStepSize?: number;
  /**
   * A step of a form in steps was accepted: keep what was typed and offer the next step
   * (`stepsLeft` > 0), or forget the stored draft (`stepsLeft` = 0, the form is complete).
   */
  formStep?(given: Encoded, stepsLeft: number, typed: Readonly<Record<string, string>>): Promise<void>;
  /** Where public replies go; without channels (the shell) every reply is answered to the person. */
  channels?: ChannelPort;
  /** The channel the person acted in. */
  channel?: string;
  /** The person also gets public replies privately (Discord closes every interaction with one). */
  echoPublic?: boolean;
  /**
   * How the platform lets this person be answered later, by another process (Slack: the request's
   * response_url): stored with the recorded command, for its replay's port.
   */
  answerLater?: Readonly<Record<string, string>>;
  /** A platform failure people can act on, in their language (with the reply's text); else undefined. */
  explain?(e: unknown, reply: Reply): string | undefined;
}
