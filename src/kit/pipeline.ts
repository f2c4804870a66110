import { DateTime } from "luxon";
import { randomUUID } from "node:crypto";
import type { ButtonId } from "../buttons.ts";
import type { DraftRepository, IdempotencyRepository, ThreadRepository } from "../store/chat-repositories.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import { reply, type Reply } from "../reply.ts";
import { ref } from "../tickets/model.ts";
import { threePart } from "../tickets/views.ts";
import type { AfterAck } from "./after-ack.ts";
import { type ButtonRoute, findRoute, routeButtons } from "./buttons.ts";
import { buttonValue, type Command, type CommandContext, type Param, type Subcommand, type Values } from "./command.ts";
import { recordTicketReply } from "./card-thread.ts";
import {
  checkGiven,
  decodeValues,
  type Encoded,
  encodeValues,
  type FormState,
  formSteps,
  readFields,
} from "./forms.ts";
import {
  findCommand,
  findSub,
  type Invocation,
  missingParams,
  type ParseContext,
  parseValue,
  resolveLine,
  resolveText,
  subName,
} from "./parse.ts";
import type { InteractionPort, MessageRef } from "./ports.ts";
import { platformOfId } from "../channel-ref.ts";
import { followUp } from "./follow-up.ts";
import { claimedFirst, firstDelivery, type OnceKey } from "./once.ts";
import type { CommandRepository, CommandToRun, RecordedCommand } from "./recorded-commands.ts";
import { commandHelp, errorReply, errorText } from "./run.ts";
import { isRelaisError, RelaisError } from "../errors.ts";

/** An interaction as it arrives, once the surface has taken it out of the platform's payload. */
export type Incoming =
  /** A typed line: `/ticket take T-3` (the shell). */
  | { kind: "line"; line: string }
  /** A slash command's text: `take T-3` for /ticket (Slack). */
  | { kind: "text"; command: string; text: string }
  /** A slash command whose options the platform already split (Discord), raw text by field id. */
  | { kind: "options"; command: string; sub: string | null; options: Readonly<Record<string, string>> }
  /** A button clicked: its id and value. */
  | { kind: "button"; id: string; value: string }
  /** A form submitted: its state and the raw text of its fields by id; `once` makes a resubmission a no-op. */
  | { kind: "form"; state: FormState; fields: Readonly<Record<string, string | undefined>>; once?: string }
  /** `@Relais T-12 ?` in a channel; the answer goes in `thread`. */
  | { kind: "mention"; text: string; thread: MessageRef; once?: string };

/** How a command ended, for the metrics: it ran, it was refused, or it failed (a bug, the database). */
export type Outcome = "done" | "refused" | "failed";

/** What the pipeline tells the metrics (src/metrics.ts): each command's outcome, each ack's latency. */
export interface PipelineMeter {
  command(surface: string, command: string, sub: string, outcome: Outcome): void;
  acked(surface: string, seconds: number): void;
}

/** A command's labels: definition names only (never typed text), "unknown"/"none" when it named none. */
interface Named {
  command: string;
  sub: string;
}

/** What a line or a click comes to: a subcommand with values, or a reply at once (help, refusal). */
type Resolved = Invocation | { kind: "reply"; reply: Reply };

/**
 * The one path of every interaction on every surface (grammY's single composer, bolt-js's "ack
 * first"): resolve → acknowledge → precheck (only before a form opens, so nobody fills in a form
 * that would be refused) → open the form, or run → deliver. A surface only supplies its port.
 */
export class Pipeline {
  private readonly routes: ReadonlyMap<ButtonId, ButtonRoute>;
  readonly worker: string;

  constructor(
    private readonly commands: readonly Command[],
    private readonly deps: {
      /** Where ticket cards are remembered (needed by surfaces with channels). */
      threads?: ThreadRepository;
      /** Where a ticket's card and public replies are recorded, to be sent by the outbox dispatcher. */
      outbox?: Pick<OutboxRepository, "enqueue" | "retryRefused">;
      /** Called once posts are recorded: the dispatcher sends them soon, not at its next interval. */
      posted?: () => void;
      /** Claims of `once` keys (Slack's view and event ids). */
      requests?: IdempotencyRepository;
      /** Where work goes after the ack (the burst-friendly queue); without one it runs at once. */
      queue?: AfterAck;
      /** The surface's handling resolves once its queued work is done (Discord's handler), not at the ack. */
      waitForWork?: boolean;
      /** Where a form refused after its ack keeps what was typed, for its "Reopen the form" button. */
      drafts?: DraftRepository;
      /** Where commands are recorded before their ack, until done (src/kit/recorded-commands.ts). */
      commands?: CommandRepository;
      /** Who records them, and for how long the record is theirs before another replica may run it. */
      worker?: string;
      leaseMs?: number;
      /** Counts commands by outcome and times acks (GET /metrics). */
      metrics?: PipelineMeter;
    } = {},
  ) {
    this.routes = routeButtons(commands);
    this.worker = deps.worker ?? `commands-${randomUUID().slice(0, 8)}`;
  }

  async handle(port: InteractionPort, input: Incoming): Promise<void> {
    if (input.kind === "mention") return (await this.claimedFirst(port)) ? this.mention(port, input) : undefined;
    port = this.timed(port);
    if (input.kind === "form" || (input.kind === "button" && input.id === "form_reopen")) {
      if (!(await this.claimedFirst(port))) return;
      return input.kind === "form" ? this.submit(port, input) : this.reopen(port, input.value);
    }
    let resolved: Resolved;
    try {
      resolved = this.resolve(input, port.ctx);
    } catch (e) {
      if (!(await this.claimedFirst(port))) return;
      this.count(port, this.named(input), { error: e });
      return port.answer(errorReply(port.ctx.texts, e, port.log));
    }
    // A command recorded before its ack claims the port's keys with its record (`record`); anything
    // else claims them now.
    const records = resolved.kind === "run" && missingParams(resolved.sub, resolved.values).length === 0;
    if (!records && !(await this.claimedFirst(port))) return;
    if (resolved.kind === "reply") return port.answer(resolved.reply);
    if (resolved.kind === "help") return port.answer(commandHelp(port.ctx.texts, resolved.command, resolved.sub));
    await this.proceed(port, resolved.command, resolved.sub, resolved.values);
  }

  private parsing(ctx: CommandContext): ParseContext {
    return { texts: ctx.texts, clock: ctx.services.clock, platform: platformOfId(ctx.actor.id) };
  }

  private formOf(state: Pick<FormState, "command" | "sub">): { command: Command; sub: Subcommand } | undefined {
    const command = this.commands.find((c) => c.name === state.command);
    const sub = command?.subcommands.find((s) => s.name === state.sub);
    return command && sub ? { command, sub } : undefined;
  }

  private resolve(input: Exclude<Incoming, { kind: "form" | "mention" }>, ctx: CommandContext): Resolved {
    const x = ctx.texts;
    const parsing = this.parsing(ctx);
    switch (input.kind) {
      case "line":
        if (/^\/(help|aide)\s*$/i.test(input.line.trim())) return { kind: "reply", reply: this.globalHelp(ctx) };
        return resolveLine(this.commands, input.line, parsing);
      case "text": {
        const command = findCommand(this.commands, input.command);
        if (!command) return resolveLine(this.commands, `/${input.command}`, parsing);
        return resolveText(command, input.text, parsing);
      }
      case "options": {
        const command = this.commands.find((c) => c.name === input.command);
        const sub = command?.subcommands.find((s) => s.name === input.sub);
        if (!command || !sub) return { kind: "help", command: command ?? this.commands[0]! };
        const values: Record<string, Values[string]> = {};
        for (const p of sub.args) {
          const raw = input.options[p.id];
          if (raw !== undefined) values[p.id] = parseValue(p, raw, parsing);
        }
        return { kind: "run", command, sub, values, missing: missingParams(sub, values) };
      }
      case "button": {
        const route = findRoute(this.routes, input.id);
        if (!route) return { kind: "reply", reply: reply.private([{ type: "text", text: x.t("form.expired") }]) };
        const { command, sub } = route;
        const first = sub.args[0];
        const values = first ? { [first.id]: buttonValue(sub, input.value) } : {};
        return { kind: "run", command, sub, values, missing: missingParams(sub, values) };
      }
    }
  }

  /** A resolved subcommand: its form opens when values are missing, else it runs. */
  private async proceed(port: InteractionPort, command: Command, sub: Subcommand, values: Values): Promise<void> {
    const { ctx, log } = port;
    const named = { command: command.name, sub: sub.name };
    if (missingParams(sub, values).length > 0) {
      await port.ack("form");
      let initial: Record<string, string>;
      try {
        await sub.precheck?.(values, ctx);
        initial = (await sub.defaults?.(values, ctx)) ?? {};
      } catch (e) {
        this.count(port, named, { error: e });
        return port.answer(errorReply(ctx.texts, e, log));
      }
      const state = { command: command.name, sub: sub.name, channel: port.channel ?? "", given: encodeValues(values) };
      return port.openForm({ command, sub, state, initial });
    }
    const recorded = await this.recordClaimed(port, command, sub, values);
    if (recorded === "repeat") return;
    await port.ack("work");
    await this.work(named, port, () => sub.run(values, ctx), undefined, undefined, recorded);
  }

  /**
   * A submitted form (or one step of it). Nothing it carries back is trusted: the values given before
   * are read again as if typed. Then every refusal knowable now comes back beside its field before
   * the ack, the form kept as typed: the fields' own checks, and the subcommand's precheck (a state
   * refusal — lifecycle, owner — goes beside the form's first field). The next step is offered, or it
   * runs; a refusal found only then offers the form back with what was typed (`offerReopen`).
   */
  private async submit(port: InteractionPort, input: Extract<Incoming, { kind: "form" }>): Promise<void> {
    const { ctx, log } = port;
    const x = ctx.texts;
    const form = this.formOf(input.state);
    if (!form) return port.answer(reply.private([{ type: "text", text: x.t("form.expired") }]));
    const { command, sub } = form;
    const named = { command: command.name, sub: sub.name };
    let given: Encoded;
    try {
      given = checkGiven(sub, input.state.given, this.parsing(ctx));
    } catch (e) {
      this.count(port, named, { error: e });
      return port.answer(errorReply(x, e, log));
    }
    const asked = formSteps(sub, given, port.formStepSize)[0] ?? [];
    const typed: Record<string, string> = { ...input.state.typed };
    for (const p of asked) typed[p.id] = input.fields[p.id] ?? "";
    const read = readFields(x, ctx.services.clock, sub, given, input.fields, asked, platformOfId(ctx.actor.id));
    if (!read.ok) {
      this.count(port, named, "refused");
      return port.formErrors(read.errors, typed, read.first.code);
    }
    const values = decodeValues(sub, read.given);
    try {
      await sub.precheck?.(values, ctx);
    } catch (e) {
      this.count(port, named, { error: e });
      const first = asked[0];
      if (!isRelaisError(e) || !first) return port.answer(errorReply(x, e, log));
      return port.formErrors({ [first.id]: errorText(x, e) }, typed, e.code);
    }
    const left = formSteps(sub, read.given, port.formStepSize).length;
    if (left === 0) {
      try {
        await sub.validate?.(values, ctx);
      } catch (e) {
        if (!isRelaisError(e) || !asked[0]) {
          this.count(port, named, { error: e });
          return port.answer(errorReply(x, e, log));
        }
        // Beside the fields it names when they are on screen; fields of an earlier step (Discord)
        // cannot be marked there: the run refuses it, and the form is offered back as typed.
        const beside = besideFields(e, asked, errorText(x, e));
        if (beside) {
          this.count(port, named, { error: e });
          return port.formErrors(beside, typed, e.code);
        }
      }
    }
    await port.formStep?.(read.given, left, typed);
    if (left > 0) return;
    const missing = missingParams(sub, values)[0];
    const recorded = missing ? undefined : await this.record(port, command, sub, values, input.once);
    await port.ack("work");
    // What the form was opened with: the values given before, less what was typed in it.
    const opened = Object.fromEntries(Object.entries(read.given).filter(([id]) => !(id in typed)));
    const state = { command: command.name, sub: sub.name, channel: input.state.channel, given: opened };
    await this.work(
      named,
      port,
      async () => {
        if (missing) throw new RelaisError("field_required", { field: missing.label });
        return sub.run(values, ctx);
      },
      input.once,
      (refusal) => this.offerReopen(port, state, typed, refusal),
      recorded,
    );
  }

  /**
   * A form refused after its ack (the state changed between submission and run): nothing typed is
   * lost. It is kept server-side for the person who typed it, and the refusal gets a button that
   * opens the same form filled in. The button carries only the draft's id.
   */
  private async offerReopen(
    port: InteractionPort,
    state: FormState,
    typed: Record<string, string>,
    refusal: Reply,
  ): Promise<Reply> {
    const { drafts } = this.deps;
    if (!drafts) return refusal;
    const { ctx } = port;
    const draft = await drafts.create(
      {
        userId: ctx.actor.id,
        command: state.command,
        sub: state.sub,
        channel: state.channel,
        step: 0,
        values: state.given,
        typed,
      },
      ctx.services.clock.now(),
    );
    const label = ctx.texts.t("form.reopen");
    return {
      ...refusal,
      blocks: [
        ...refusal.blocks,
        { type: "context", text: ctx.texts.t("form.kept") },
        { type: "actions", actions: [{ id: "form_reopen", label, value: String(draft.id), style: "primary" }] },
      ],
    };
  }

  /** "Reopen the form": the same form, filled in with what was typed; only for the person who typed it. */
  private async reopen(port: InteractionPort, value: string): Promise<void> {
    const { ctx } = port;
    const drafts = this.deps.drafts;
    const draft = drafts && /^\d{1,9}$/.test(value) ? await drafts.get(Number(value)) : undefined;
    const form = draft && this.formOf(draft);
    if (!drafts || !draft || !form || draft.userId !== ctx.actor.id)
      return port.answer(reply.private([{ type: "text", text: ctx.texts.t("form.expired") }]));
    await port.ack("form");
    const state = { command: draft.command, sub: draft.sub, channel: draft.channel, given: draft.values };
    await port.openForm({ ...form, state, initial: draft.typed ?? {} });
    await drafts.delete(draft.id);
  }

  /** "@Relais T-12?": the stable three-part answer to follow-ups (seed 002, "disque rayé"). */
  private async mention(port: InteractionPort, input: Extract<Incoming, { kind: "mention" }>): Promise<void> {
    const refs = [...new Set([...input.text.matchAll(/\bT-(\d{1,9})\b/gi)].map((m) => Number(m[1])))].slice(0, 5);
    if (refs.length === 0 || !port.channels) return;
    const x = port.ctx.texts;
    let lines: string[] | undefined;
    try {
      // The claim and the follow-ups it records, as one unit of work.
      lines = await port.ctx.services.unit.run(async () => {
        if (!(await this.claim(port, input.once))) return undefined;
        const said: string[] = [];
        for (const id of refs) {
          // A mention is a follow-up, as `/ticket show` is (src/kit/follow-up.ts); a refusal (no
          // such ticket) is said in its place.
          const f = await followUp(port.ctx.services, port.ctx.actor, id).catch((e: unknown) => {
            if (isRelaisError(e) && e.code !== "database_unavailable") return e;
            throw e;
          });
          said.push(isRelaisError(f) ? errorText(x, f) : `${ref(f.ticket.id)} — ${threePart(x, f.ticket, f.opts)}`);
        }
        return said;
      });
    } catch (e) {
      if (!isRelaisError(e)) throw e;
      lines = [errorText(x, e)];
    }
    if (!lines) return;
    await port.channels.postInThread(input.thread, reply.public(lines.map((text) => ({ type: "text", text }))));
  }

  /**
   * Records the command about to be acknowledged (a fast insert, before the ack), so it is done
   * even if this process dies after the ack. Undefined without a place to record it; a failure to
   * record (the database unavailable) is logged and the command runs as it would have, in memory.
   */
  private async record(
    port: InteractionPort,
    command: Command,
    sub: Subcommand,
    values: Values,
    once?: string,
  ): Promise<number | undefined> {
    const { commands } = this.deps;
    if (!commands) return undefined;
    try {
      return await commands.record(...this.toRecord(port, command, sub, values, once));
    } catch (e) {
      port.log?.error({ err: e }, "could not record the command before its ack; it runs unrecorded");
      return undefined;
    }
  }

  /**
   * `record`, with the port's before-ack keys (`claimFirst`) claimed in the same transaction: one
   * write, one turn ahead of the queued work on SQLite. "repeat" when the delivery was handled before.
   */
  private async recordClaimed(
    port: InteractionPort,
    command: Command,
    sub: Subcommand,
    values: Values,
  ): Promise<number | undefined | "repeat"> {
    const { commands } = this.deps;
    const first = port.claimFirst;
    if (!commands || !first || first.keys.length === 0)
      return (await this.claimedFirst(port)) ? this.record(port, command, sub, values) : "repeat";
    let done: number | OnceKey;
    try {
      done = await commands.recordFirst(first.keys, ...this.toRecord(port, command, sub, values));
    } catch (e) {
      port.log?.error({ err: e }, "could not record the command before its ack; it runs unrecorded");
      // The claim alone, then (its failure is the request's: said to the person).
      return (await this.claimedFirst(port)) ? undefined : "repeat";
    }
    if (typeof done === "number") return done;
    await first.repeated(done);
    return "repeat";
  }

  /** What `CommandRepository.record` takes for the command about to be acknowledged. */
  private toRecord(
    port: InteractionPort,
    command: Command,
    sub: Subcommand,
    values: Values,
    once?: string,
  ): [CommandToRun, string, DateTime] {
    const { ctx } = port;
    const now = ctx.services.clock.now();
    const keys = [...(port.once ?? []), ...(once ? [{ key: once }] : [])];
    return [
      {
        platform: platformOfId(ctx.actor.id),
        command: command.name,
        sub: sub.name,
        given: encodeValues(values),
        actor: ctx.actor,
        lang: ctx.texts.lang,
        ...(port.channel ? { channel: port.channel } : {}),
        ...(ctx.channel ? { room: ctx.channel } : {}),
        ...(keys.length > 0 ? { once: keys } : {}),
        ...(port.answerLater ? { answer: port.answerLater } : {}),
        receivedAt: now,
      },
      this.worker,
      // An instant, as milliseconds: luxon's `plus` normalises a Duration (5–25 µs), at every ack.
      DateTime.fromMillis(now.toMillis() + (this.deps.leaseMs ?? 60_000), { zone: now.zone }),
    ];
  }

  /**
   * Claims the port's before-ack keys (`claimFirst`) alone, when no record is made before the ack;
   * false for a repeat, which is not handled (its `repeated` acknowledges it if need be).
   */
  private async claimedFirst(port: InteractionPort): Promise<boolean> {
    const first = port.claimFirst;
    const { requests } = this.deps;
    if (!first || first.keys.length === 0 || !requests) return true;
    return claimedFirst(requests, port.ctx.services.clock.now(), first);
  }

  /**
   * A recorded command its replica never did (it died after the ack): run now, once, through
   * `port` — built for it by its surface, answering the person late. Its values were read and
   * checked when it came in; they are decoded as they were recorded.
   */
  async replay(c: RecordedCommand, port: InteractionPort): Promise<void> {
    const form = this.formOf(c);
    if (!form) {
      await this.deps.commands?.finish(c.id);
      return;
    }
    const values = decodeValues(form.sub, c.given) as Values;
    const x = port.ctx.texts;
    // The answer says which command was done late, in the person's words (`/ticket nouveau`).
    const name = { command: c.command, sub: subName(form.sub, x.lang) };
    const late = { type: "context" as const, text: x.t("command.done_late", name) };
    const answering: InteractionPort = {
      ...port,
      answer: (r) => port.answer({ ...r, blocks: [late, ...r.blocks] }),
    };
    // Run now, not queued: nobody is waiting for an ack, and the recovery's pass waits for it.
    const named = { command: c.command, sub: c.sub };
    await this.work(named, answering, () => form.sub.run(values, port.ctx), undefined, undefined, c.id, false);
  }

  /**
   * Runs after the ack, once per `once` key, as one unit of work: the command's record marked done,
   * the claim of the request's keys and everything the command writes commit together, or — a
   * refusal, a crash — none of it. Then the reply goes where it belongs; a refusal may be replaced
   * (`refused`: the form offered back). A recorded command that ended in a refusal or a failure is
   * marked done too: it is not run again.
   */
  private async work(
    named: Named,
    port: InteractionPort,
    run: () => Promise<Reply>,
    once?: string,
    refused?: (refusal: Reply) => Promise<Reply>,
    recorded?: number,
    queued = true,
  ): Promise<void> {
    const { commands } = this.deps;
    const job = async () => {
      let r: Reply | undefined;
      try {
        r = await port.ctx.services.unit.run(async () => {
          // Done already: another replica ran it (this one stalled past its lease).
          if (recorded !== undefined && commands && !(await commands.finish(recorded))) return undefined;
          if (!(await this.claim(port, once))) return undefined;
          const done = await run();
          // A public reply about a ticket, and its card, are outbox posts: written with the rest.
          if (this.viaCard(port, done)) await this.recordViaCard(port, done);
          return done;
        });
        // Undefined: done already (another delivery, another replica), counted there.
        if (r) this.count(port, named, "done");
      } catch (e) {
        this.count(port, named, { error: e });
        r = errorReply(port.ctx.texts, e, port.log);
        if (refused && isRelaisError(e)) r = await refused(r);
        if (recorded !== undefined && commands && !(await commands.finish(recorded).catch(() => true))) return;
      }
      if (r) await this.deliver(port, r, true);
      // What the command recorded (its card and reply, an outage's announcements) goes out now.
      this.deps.posted?.();
    };
    if (!this.deps.queue || !queued) return job();
    const done = this.deps.queue.push(job);
    if (this.deps.waitForWork) await done;
  }

  /**
   * Private replies go to the person. A public reply about a ticket is recorded in the outbox with
   * its card (posted once, then edited) and goes in the card's thread when the outbox sends it: a
   * rate limit or a crash delays it, never loses it, and a refusal for good is told to the ticket's
   * owner (DeliveryAlerts). Any other public reply is posted in the channel at once; a platform
   * failure people can act on is explained to them, quoting the reply, so nothing is lost; other
   * failures propagate to the surface.
   */
  async deliver(port: InteractionPort, r: Reply, recorded = false): Promise<void> {
    const { channels, channel } = port;
    if (!r.ephemeral && channels && channel) {
      if (this.viaCard(port, r)) {
        if (!recorded) await this.recordViaCard(port, r);
      } else {
        try {
          await channels.post(channel, r);
        } catch (e) {
          const explained = port.explain?.(e, r);
          if (!explained) throw e;
          await port
            .answer(reply.private([{ type: "text", text: explained }]))
            .catch((again: unknown) =>
              port.log?.error({ err: again }, "could not tell the person about a failed post"),
            );
          return;
        }
      }
      if (!port.echoPublic) return;
    }
    await port.answer(r);
  }

  /** Whether `r` is a public reply about a ticket, which goes in its card's thread through the outbox. */
  private viaCard(port: InteractionPort, r: Reply): boolean {
    const { threads, outbox } = this.deps;
    return !r.ephemeral && !!port.channels && !!port.channel && r.ticketId !== undefined && !!threads && !!outbox;
  }

  /** Records a public reply about a ticket, with its card (posted once, then edited), in the outbox. */
  private async recordViaCard(port: InteractionPort, r: Reply): Promise<void> {
    const deps = { services: port.ctx.services, threads: this.deps.threads!, outbox: this.deps.outbox! };
    const where = { platform: port.channels!.platform, channel: port.channel! };
    await recordTicketReply(deps, where, port.ctx.texts, r.ticketId!, r);
  }

  /**
   * False when this delivery was already handled: its keys — the port's (Slack's signed bytes, a
   * click) and `once` (a view or event id) — are claimed durably, now, after the ack (inside the
   * command's unit of work when there is one). A refusal to claim (the database unavailable) is
   * thrown, to be said to the person like any other.
   */
  private async claim(port: InteractionPort, once: string | undefined): Promise<boolean> {
    const keys = [...(port.once ?? []), ...(once ? [{ key: once }] : [])];
    if (keys.length === 0 || !this.deps.requests) return true;
    return firstDelivery(this.deps.requests, port.ctx.services.clock.now(), keys);
  }

  /**
   * The port, timed: the first of ack, answer, form or field errors to complete is the request's
   * acknowledgement (an `ack("form")` that sends nothing is not), measured from its arrival.
   */
  private timed(port: InteractionPort): InteractionPort {
    const meter = this.deps.metrics;
    if (!meter) return port;
    const since = port.receivedAt ?? performance.now();
    const surface = platformOfId(port.ctx.actor.id);
    let acked = false;
    const done = () => {
      if (acked) return;
      acked = true;
      meter.acked(surface, (performance.now() - since) / 1000);
    };
    const acking =
      <A extends unknown[]>(f: (...a: A) => Promise<void>) =>
      async (...a: A) => {
        await f(...a);
        done();
      };
    return {
      ...port,
      ack: async (next) => {
        await port.ack(next);
        if (next === "work" || !port.formIsAck) done();
      },
      answer: acking(port.answer),
      openForm: acking(port.openForm),
      formErrors: acking(port.formErrors),
      ...(port.formStep ? { formStep: acking(port.formStep) } : {}),
    };
  }

  /** Counts a command's outcome; an error is a refusal (a RelaisError but the database's) or a failure. */
  private count(port: InteractionPort, named: Named, outcome: "done" | "refused" | { error: unknown }): void {
    const e = typeof outcome === "object" ? outcome.error : undefined;
    const o: Outcome =
      typeof outcome === "string"
        ? outcome
        : isRelaisError(e) && e.code !== "database_unavailable"
          ? "refused"
          : "failed";
    this.deps.metrics?.command(platformOfId(port.ctx.actor.id), named.command, named.sub, o);
  }

  /** The command and subcommand an input names, before it is resolved (for a refusal's labels). */
  private named(input: Exclude<Incoming, { kind: "form" | "mention" }>): Named {
    const none = { command: "unknown", sub: "none" };
    const withSub = (command: Command | undefined, word: string | undefined): Named =>
      command ? { command: command.name, sub: (word && findSub(command, word)?.name) || "none" } : none;
    switch (input.kind) {
      case "line": {
        const [head = "", word] = input.line.trim().split(/\s+/, 2);
        return withSub(findCommand(this.commands, head), word);
      }
      case "text":
        return withSub(findCommand(this.commands, input.command), input.text.trim().split(/\s+/, 1)[0]);
      case "options":
        return withSub(
          this.commands.find((c) => c.name === input.command),
          input.sub ?? undefined,
        );
      case "button": {
        const route = findRoute(this.routes, input.id);
        return route ? { command: route.command.name, sub: route.sub.name } : none;
      }
    }
  }

  private globalHelp(ctx: CommandContext): Reply {
    const x = ctx.texts;
    return reply.private([
      {
        type: "list",
        items: [
          ...this.commands.map((c) => `/${c.name} — ${x.t(c.summary)}`),
          `/${x.lang === "fr" ? "aide" : "help"} — ${x.t("cmd.help")}`,
        ],
      },
    ]);
  }
}

/**
 * Where a refusal goes in the form on screen: beside each field it names (`fields`, or `field`)
 * that is shown; beside the first field shown when it names none (a state refusal); nowhere when
 * the fields it names are all on another step.
 */
function besideFields(e: RelaisError, shown: readonly Param[], text: string): Record<string, string> | undefined {
  const named = String(e.params.fields ?? e.params.field ?? "")
    .split(",")
    .filter(Boolean);
  const here = named.length === 0 ? [shown[0]!.id] : shown.filter((p) => named.includes(p.id)).map((p) => p.id);
  return here.length > 0 ? Object.fromEntries(here.map((id) => [id, text])) : undefined;
}
