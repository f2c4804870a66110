import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { FormRequest } from "../../src/kit/forms.ts";
import { type Incoming, Pipeline } from "../../src/kit/pipeline.ts";
import type { ChannelPort, InteractionPort } from "../../src/kit/ports.ts";
import type { Reply } from "../../src/reply.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice, bob } from "../support/fixtures.ts";
import { RecordingSender } from "../support/recording-sender.ts";

/** A port that records what the pipeline asks of a surface, in order. */
function recordingPort(r: TestRelais, opts: { actor?: typeof alice; stepSize?: number; channels?: boolean } = {}) {
  const seen: string[] = [];
  const forms: FormRequest[] = [];
  const posts: { where: string; text: string }[] = [];
  let n = 0;
  const channels: ChannelPort = {
    platform: "slack",
    post: async (channel, reply) => {
      posts.push({ where: `post ${channel}`, text: renderText(reply) });
      return { channel, messageId: `m${++n}` };
    },
    postInThread: async (t, reply) => void posts.push({ where: `in ${t.messageId}`, text: renderText(reply) }),
  };
  const port: InteractionPort = {
    ctx: r.relais.context(opts.actor ?? alice, "fr"),
    ...(opts.stepSize ? { formStepSize: opts.stepSize } : {}),
    ...(opts.channels ? { channels, channel: "C-HELP" } : {}),
    ack: async (next) => void seen.push(`ack ${next}`),
    answer: async (reply: Reply) => void seen.push(`answer ${renderText(reply)}`),
    openForm: async (form) => {
      forms.push(form);
      seen.push(`form ${form.command.name} ${form.sub.name}`);
    },
    formErrors: async (errors) => void seen.push(`errors ${Object.keys(errors).join(",")}`),
    formStep: async (_given, left) => void seen.push(`step saved, ${left} left`),
  };
  return { port, seen, forms, posts };
}

let r: TestRelais;
let pipeline: Pipeline;
beforeEach(async () => {
  r = await startRelais();
  pipeline = new Pipeline(commands, {
    threads: r.relais.store.threads,
    outbox: r.relais.store.outbox,
    requests: r.relais.store.requests,
  });
});
afterEach(() => r.close());

describe("the interaction pipeline", () => {
  it("GIVEN a card button whose subcommand needs fields THEN it acks for a form, prechecks, and opens the form on that ticket", async () => {
    await r.say("/ticket Imprimante bloquée");
    const { port, seen, forms } = recordingPort(r);
    await pipeline.handle(port, { kind: "button", id: "ticket_update", value: "1" });
    expect(seen).toEqual(["ack form", "form ticket update"]);
    expect(forms[0]!.state).toEqual({ command: "ticket", sub: "update", channel: "", given: { ref: 1 } });
  });

  it("GIVEN a button the precheck refuses THEN no form opens and the person is told", async () => {
    const { port, seen } = recordingPort(r);
    await pipeline.handle(port, { kind: "button", id: "ticket_resolve", value: "9" });
    expect(seen).toEqual(["ack form", expect.stringContaining("answer Le ticket T-9 n’existe pas.")]);
  });

  it("GIVEN an unknown button THEN a polite answer and nothing runs", async () => {
    const { port, seen } = recordingPort(r);
    await pipeline.handle(port, { kind: "button", id: "drop_tables", value: "1" });
    expect(seen).toEqual([expect.stringContaining("answer Ce formulaire n’existe plus")]);
  });

  it("GIVEN a form in steps of five THEN a refused field is named, a good step is kept, and the last one runs once", async () => {
    const { port, seen } = recordingPort(r, { stepSize: 5 });
    const state = { command: "ticket", sub: "new", channel: "", given: {} };
    const submit = (s: typeof state, fields: Record<string, string>, once?: string): Incoming => ({
      kind: "form",
      state: s,
      fields,
      ...(once ? { once } : {}),
    });
    await pipeline.handle(port, submit(state, { title: "  ", impact: "high" }));
    expect(seen.pop()).toBe("errors title");
    await pipeline.handle(port, submit(state, { title: "VPN coupé", impact: "high" }));
    expect(seen.pop()).toBe("step saved, 2 left");
    const all = {
      ...state,
      given: {
        title: "VPN coupé",
        requester: "",
        department: "",
        workstation: "",
        impact: "high",
        urgency: "high",
        workaround: "none",
        workaroundText: "",
        since: "",
        changed: "",
      },
    };
    await pipeline.handle(port, submit(all, { profile: "novice" }, "form-1"));
    await pipeline.handle(port, submit(all, { profile: "novice" }, "form-1"));
    expect(seen.filter((s) => s.startsWith("ack"))).toEqual(["ack work", "ack work"]);
    expect(seen.filter((s) => s.startsWith("answer"))).toHaveLength(1);
    expect((await r.relais.services.tickets.get(1)).priority).toBe("P1");
  });

  it("GIVEN public replies about a ticket THEN the card is posted once, then edited in place, and the replies go in its thread", async () => {
    const first = recordingPort(r, { channels: true, actor: bob });
    await pipeline.handle(first.port, { kind: "text", command: "ticket", text: "Messagerie inaccessible" });
    // Bob opened it and takes it (his first response): the card is edited in place.
    const second = recordingPort(r, { channels: true, actor: bob });
    await pipeline.handle(second.port, { kind: "button", id: "ticket_take", value: "1" });
    // Recorded, not posted: the outbox sends them.
    expect([...first.posts, ...second.posts]).toEqual([]);
    const slack = new RecordingSender();
    await r.relais.dispatcher({ slack }).flush();
    expect(slack.sent.map((p) => `${p.channel} ${p.threadOf ?? "-"}`)).toEqual([
      "C-HELP -",
      "C-HELP msg-1",
      "C-HELP msg-1",
    ]);
    expect(slack.sent[0]!.text).toContain("T-1 · Messagerie inaccessible");
    expect(slack.sent[1]!.text).toContain("T-1 ouvert");
    expect(slack.sent[2]!.text).toContain("Bob en est maintenant responsable");
    expect(slack.edited.map((e) => `${e.channel} ${e.messageId}`)).toEqual(["C-HELP msg-1"]);
    expect(slack.edited[0]!.text).toContain("Bob");
    expect(second.seen).toEqual(["ack work"]);
  });
});

describe("a recorded command run late (issue 14, durable commands)", () => {
  it("GIVEN a command its replica acknowledged and never did, taken by two recoveries at once (a lease ended mid-run) THEN it is done once and the person answered once", async () => {
    const p = new Pipeline(commands, { requests: r.relais.store.requests, commands: r.relais.store.commands });
    const now = r.clock.now();
    const { commands: recorded } = r.relais.store;
    await recorded.record(
      {
        platform: "shell",
        command: "ticket",
        sub: "new",
        given: { title: "Écran noir" },
        actor: alice,
        lang: "fr",
        receivedAt: now,
      },
      "dead-replica",
      now,
    );
    const [c] = await recorded.claimAbandoned("shell", now.plus({ seconds: 1 }), "recovery", 60_000, 10);
    const { port, seen } = recordingPort(r);
    await Promise.all([p.replay(c!, port), p.replay(c!, port)]);
    expect((await r.relais.services.tickets.list(alice, "all")).tickets.map((t) => t.title)).toEqual(["Écran noir"]);
    expect(seen.filter((s) => s.startsWith("answer"))).toHaveLength(1);
    expect(seen[0]).toContain("Votre commande /ticket nouveau a été traitée après un redémarrage");
    expect(await recorded.claimAbandoned("shell", now.plus({ hours: 1 }), "recovery", 60_000, 10)).toEqual([]);
  });
});
