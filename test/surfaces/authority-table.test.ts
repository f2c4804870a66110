import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { fr } from "../../src/i18n/fr.ts";
import { handleLine } from "../../src/kit/dispatch.ts";
import type { Param } from "../../src/kit/command.ts";
import { renderText } from "../../src/surfaces/shell/render.ts";
import { discordName } from "../../src/surfaces/discord/names.ts";
import type { Actor } from "../../src/timeline/events.ts";
import { startRelais, type TestRelais } from "../helpers.ts";
import { chatInput } from "../support/discord-gateway.ts";
import { withEscalation } from "../support/fixtures.ts";
import { RecordingSender } from "../support/recording-sender.ts";
import { startDiscordHarness, type DiscordHarness } from "./discord/harness.ts";
import { startSlackHarness, type SlackHarness } from "./slack/harness.ts";

/**
 * The authority table (src/authority.ts, PRODUCT.md "Authority") through the three surfaces: for
 * each action and each role, what the person gets — done, a draft for the owner, a handover
 * request, the form (the precheck let them in), or a refusal — and, for refusals, that nothing
 * changed: the subject, its timeline, and the posts on the fake servers. One Relais per surface;
 * each case gets fresh records, set up through the services.
 */

const PEOPLE = ["alice", "bob", "carol", "dan", "erin", "frank"] as const;
type Person = (typeof PEOPLE)[number];
/** The roles of the issue, played by: the owner alice, another technician bob, the requester dan,
 * the manager carol, the escalation's author erin, the receiving side frank. */
const ROLE = {
  owner: "alice",
  technician: "bob",
  requester: "dan",
  manager: "carol",
  author: "erin",
  receiver: "frank",
} as const satisfies Record<string, Person>;
type Role = keyof typeof ROLE;

type Expected = "done" | "draft" | "handover" | "form" | `refused:${string}`;

/** A command as the three surfaces take it: a line (shell, Slack) or options by id (Discord). */
interface Cmd {
  command: string;
  sub: string;
  args: readonly (readonly [string, string])[];
}

/** What one case starts from: the records it acts on (created by the services, as the roles). */
interface Subject {
  ticket?: number;
  parent?: number;
  outage?: number;
  escalation?: number;
  draft?: number;
}

interface Case {
  action: string;
  setup: (d: Driver) => Promise<Subject>;
  cmd: (s: Subject) => Cmd;
  expect: Partial<Record<Role, Expected>>;
  /** A read (the incident report): done changes nothing. */
  readOnly?: true;
}

const T = (id?: number) => `T-${id}`;
const c = (command: string, sub: string, ...args: [string, string][]): Cmd => ({ command, sub, args });

// ---- the subjects -------------------------------------------------------------------------------

async function ticket(d: Driver): Promise<Subject> {
  const t = await d.r.relais.services.tickets.create(d.actor("alice"), {
    title: "Messagerie inaccessible",
    requester: d.actor("dan").name,
    requesterId: d.actor("dan").id,
  });
  return { ticket: t.id };
}

async function resolved(d: Driver): Promise<Subject> {
  const s = await ticket(d);
  await d.r.relais.services.tickets.resolve(d.actor("alice"), s.ticket!, { kind: "fixed", note: "Redémarrage" });
  return s;
}

async function withParent(d: Driver): Promise<Subject> {
  const s = await ticket(d);
  const parent = await d.r.relais.services.tickets.create(d.actor("bob"), { title: "Exchange en panne" });
  return { ...s, parent: parent.id };
}

async function draft(d: Driver): Promise<Subject> {
  const s = await ticket(d);
  const { draft } = await d.r.relais.services.voice.update(d.actor("frank"), s.ticket!, {
    stage: "diagnostic",
    nextAction: "Redémarrer le serveur",
  });
  return { ...s, draft: draft!.id };
}

async function handover(d: Driver): Promise<Subject> {
  const s = await ticket(d);
  await d.r.relais.services.voice.propose(d.actor("alice"), { kind: "ticket", id: s.ticket! }, d.actor("bob"));
  return s;
}

async function outage(d: Driver): Promise<Subject> {
  const o = await d.r.relais.services.outages.declare(d.actor("alice"), {
    title: "Messagerie indisponible",
    services: "Exchange",
    impact: "tout le siège",
    channels: d.channel,
  });
  return { outage: o.id };
}

/** Erin opened T and escalated it (she is the note's author); alice owns T now (a manager's relief). */
async function escalation(d: Driver): Promise<Subject> {
  const s = d.r.relais.services;
  const t = await s.tickets.create(d.actor("erin"), { title: "Facture en double" });
  const e = await s.escalations.escalate(d.actor("erin"), t.id, {
    type: "billing",
    direction: "functional",
    targetTeam: "Facturation N2",
    why: "Seule la facturation peut annuler une facture",
    request: "Annuler la facture F-2026-114",
    urgency: "24h",
    facts: "Client débité deux fois",
    impact: "1 client",
    nextUpdate: s.clock.now().plus({ hours: 4 }),
  });
  await s.tickets.setOwner(d.actor("carol"), t.id, d.actor("alice"), { kind: "reassigned", reason: "relève" });
  return { ticket: t.id, escalation: e.id };
}

async function infoRequested(d: Driver): Promise<Subject> {
  const s = await escalation(d);
  await d.r.relais.services.escalations.requestInfo(d.actor("frank"), s.escalation!, "Quel montant ?");
  return s;
}

async function decided(d: Driver): Promise<Subject> {
  const s = await escalation(d);
  await d.r.relais.services.escalations.decide(d.actor("carol"), s.escalation!, {
    option: "Annuler la facture et rembourser",
    rationale: "Le client est VIP.",
    owner: "alice",
  });
  return s;
}

// ---- the cases: one line per action, what each role gets ----------------------------------------

const ownerOrManager = (code = "owner_only") =>
  ({
    owner: "done",
    technician: `refused:${code}`,
    requester: `refused:${code}`,
    manager: "done",
  }) as const;

const CASES: Case[] = [
  {
    action: "take (someone else's ticket)",
    setup: ticket,
    cmd: (s) => c("ticket", "take", ["ref", T(s.ticket)]),
    expect: { owner: "done", technician: "handover", requester: "handover", manager: "handover" },
  },
  {
    action: "take with a reason",
    setup: ticket,
    cmd: (s) => c("ticket", "take", ["ref", T(s.ticket)], ["reason", "relève de nuit, Alice absente"]),
    expect: { technician: "handover", manager: "done" },
  },
  {
    action: "update",
    setup: ticket,
    cmd: (s) => c("ticket", "update", ["ref", T(s.ticket)], ["stage", "diagnostic"], ["nextAction", "Relancer"]),
    expect: { owner: "done", technician: "draft", requester: "draft", manager: "draft" },
  },
  {
    action: "priority",
    setup: ticket,
    cmd: (s) =>
      c("ticket", "priority", ["ref", T(s.ticket)], ["priority", "P1"], ["reason", "40 utilisateurs bloqués"]),
    expect: ownerOrManager(),
  },
  {
    action: "wait",
    setup: ticket,
    cmd: (s) =>
      c("ticket", "wait", ["ref", T(s.ticket)], ["waitingOn", "requester"], ["waitingFor", "redémarrage du poste"]),
    expect: ownerOrManager(),
  },
  {
    action: "resolve with a note",
    setup: ticket,
    cmd: (s) => c("ticket", "resolve", ["ref", T(s.ticket)], ["kind", "fixed"], ["note", "Connecteur réinstallé"]),
    expect: ownerOrManager(),
  },
  {
    action: "resolve without a note",
    setup: ticket,
    cmd: (s) => c("ticket", "resolve", ["ref", T(s.ticket)], ["kind", "fixed"]),
    expect: { owner: "done", manager: "refused:manager_reason_required", technician: "refused:owner_only" },
  },
  {
    action: "close",
    setup: resolved,
    cmd: (s) => c("ticket", "close", ["ref", T(s.ticket)], ["note", "Plus de nouvelles du demandeur"]),
    expect: ownerOrManager(),
  },
  {
    action: "reopen",
    setup: resolved,
    cmd: (s) => c("ticket", "reopen", ["ref", T(s.ticket)], ["reason", "le problème revient"]),
    expect: ownerOrManager(),
  },
  {
    action: "confirm",
    setup: resolved,
    cmd: (s) => c("ticket", "confirm", ["ref", T(s.ticket)]),
    expect: { owner: "done", requester: "done", manager: "done", technician: "refused:confirm_not_allowed" },
  },
  {
    action: "link",
    setup: withParent,
    cmd: (s) => c("ticket", "link", ["ref", T(s.ticket)], ["parent", T(s.parent)]),
    expect: ownerOrManager("link_not_owner"),
  },
  {
    action: "declare an outage from a ticket",
    setup: ticket,
    cmd: (s) => c("outage", "declare", ["ref", T(s.ticket)]),
    expect: {
      owner: "form",
      manager: "form",
      technician: "refused:link_not_owner",
      requester: "refused:link_not_owner",
    },
  },
  {
    action: "publish a draft",
    setup: draft,
    cmd: (s) => c("ticket", "approve", ["ref", `D-${s.draft}`]),
    expect: { owner: "done", receiver: "refused:not_owner", manager: "refused:not_owner" },
  },
  {
    action: "accept a handover",
    setup: handover,
    cmd: (s) => c("owner", "accept", ["ref", T(s.ticket)]),
    expect: { technician: "done", owner: "refused:no_handover", manager: "refused:no_handover" },
  },
  {
    action: "outage update",
    setup: outage,
    cmd: (s) => c("outage", "update", ["ref", `INC-${s.outage}`], ["stage", "diagnostic"], ["nextAction", "Relancer"]),
    expect: { owner: "done", technician: "draft", manager: "draft" },
  },
  {
    action: "outage resolve",
    setup: outage,
    cmd: (s) => c("outage", "resolve", ["ref", `INC-${s.outage}`]),
    expect: { owner: "form", manager: "form", technician: "refused:not_owner" },
  },
  {
    action: "outage report",
    setup: outage,
    cmd: (s) => c("outage", "report", ["ref", `INC-${s.outage}`]),
    expect: { owner: "done", manager: "done", technician: "refused:not_owner" },
    readOnly: true,
  },
  {
    action: "escalate",
    setup: ticket,
    cmd: (s) => c("escalate", "note", ["ref", T(s.ticket)]),
    expect: {
      owner: "form",
      technician: "refused:owner_only",
      requester: "refused:owner_only",
      manager: "refused:owner_only",
    },
  },
  {
    action: "acknowledge an escalation",
    setup: escalation,
    cmd: (s) => c("escalate", "ack", ["ref", `E-${s.escalation}`], ["eta", "15:00"]),
    expect: { receiver: "done", owner: "done", author: "refused:own_escalation" },
  },
  {
    action: "ask for information",
    setup: escalation,
    cmd: (s) => c("escalate", "info", ["ref", `E-${s.escalation}`], ["question", "Quel montant ?"]),
    expect: { receiver: "done", author: "refused:own_escalation" },
  },
  {
    action: "answer an information request",
    setup: infoRequested,
    cmd: (s) => c("escalate", "answer", ["ref", `E-${s.escalation}`], ["answer", "PRLV-1"]),
    expect: {
      owner: "done",
      author: "refused:not_ticket_owner",
      receiver: "refused:not_ticket_owner",
      manager: "refused:not_ticket_owner",
    },
  },
  {
    action: "decide",
    setup: escalation,
    cmd: (s) => c("escalate", "decide", ["ref", `E-${s.escalation}`], ["option", "A"]),
    expect: {
      manager: "form",
      owner: "refused:not_manager",
      author: "refused:not_manager",
      receiver: "refused:not_manager",
    },
  },
  {
    action: "announce a decision",
    setup: decided,
    cmd: (s) => c("escalate", "announce", ["ref", `E-${s.escalation}`]),
    expect: { owner: "done", author: "refused:not_owner", manager: "refused:not_owner" },
  },
];

// ---- the surfaces -------------------------------------------------------------------------------

interface Outcome {
  /** What the person read (every private answer of this run). */
  text: string;
  formOpened: boolean;
  /** The error code, where the surface shows it (the shell's reply). */
  error?: string | undefined;
}

interface Driver {
  name: string;
  r: TestRelais;
  /** An affected channel outages are declared to, as the surface names channels. */
  channel: string;
  actor(p: Person): Actor;
  run(p: Person, cmd: Cmd, expected: Expected): Promise<Outcome>;
  /** Sends what the outbox holds, then counts the posts the fake server received. */
  posts(): Promise<number>;
  close(): Promise<void>;
}

const line = (cmd: Cmd) => `/${cmd.command} ${cmd.sub} ${cmd.args.map(([, v]) => v).join(" ")}`.trim();
// Escalation notes go to a channel of each platform: on Discord only an id will do (issue 15).
const managers = (ids: string[]) =>
  withEscalation({ shell: "escalades", slack: "C0ESCALADES", discord: "500000000000000009" }, { users: ids });

async function shellDriver(): Promise<Driver> {
  const name = (p: Person) => p[0]!.toUpperCase() + p.slice(1);
  const actor = (p: Person): Actor => ({ id: `shell:${p}`, name: name(p) });
  const r = await startRelais({ policy: managers([actor("carol").id]) });
  const out = new RecordingSender();
  const dispatcher = r.relais.dispatcher({ shell: out });
  return {
    name: "shell",
    r,
    channel: "incidents",
    actor,
    async run(p, cmd) {
      let formOpened = false;
      // The form is given up at once: reaching it is the outcome ("form"), filling it is not this test's.
      const asker = {
        ask: async (_param: Param) => {
          formOpened = true;
          return undefined;
        },
        onError: () => {},
      };
      const reply = await handleLine(line(cmd), commands, r.relais.context(actor(p), "fr"), asker);
      return { text: renderText(reply), formOpened, error: reply.error };
    },
    posts: async () => {
      await dispatcher.flush();
      return out.sent.length;
    },
    close: () => r.close(),
  };
}

async function slackDriver(): Promise<Driver> {
  const userId = (p: Person) => `U${p.toUpperCase()}`;
  const actor = (p: Person): Actor => ({ id: `slack:${userId(p)}`, name: p });
  const h: SlackHarness = await startSlackHarness({ policy: managers([actor("carol").id]) });
  let n = 0;
  const posted = () => h.slack.calls.filter((x) => x.method === "chat.postMessage" || x.method === "chat.update");
  return {
    name: "Slack",
    r: h.r,
    channel: "C-INCIDENTS",
    actor,
    async run(p, cmd, expected) {
      n++;
      const answer = `run${n}`;
      const forms = h.slack.of("views.open").length;
      await h.command(
        `${cmd.sub} ${cmd.args.map(([, v]) => v).join(" ")}`,
        { user_id: userId(p), user_name: p, response_url: h.slack.responseUrl(answer) },
        `/${cmd.command}`,
      );
      const answered = () => h.slack.of(`response/${answer}`).length > 0;
      const formOpened = () => h.slack.of("views.open").length > forms;
      // A form opens (or its precheck answers) right after the ack; other work runs after it.
      if (expected === "form" || expected.startsWith("refused"))
        await h.slack.waitFor(() => answered() || formOpened(), `an answer to ${line(cmd)}`);
      else await h.surface.idle();
      return {
        text: h.slack
          .of(`response/${answer}`)
          .map((x) => JSON.stringify(x.body))
          .join("\n"),
        formOpened: formOpened(),
      };
    },
    posts: async () => {
      await h.surface.idle(); // work after the ack, and after its commit (the incident room)
      await h.dispatcher.flush();
      return posted().length;
    },
    close: () => h.close(),
  };
}

async function discordDriver(): Promise<Driver> {
  const userId = (p: Person) => `30000000000000000${PEOPLE.indexOf(p) + 1}`;
  const name = (p: Person) => p[0]!.toUpperCase() + p.slice(1);
  const actor = (p: Person): Actor => ({ id: `discord:${userId(p)}`, name: name(p) });
  const h: DiscordHarness = await startDiscordHarness({ policy: managers([actor("carol").id]) });
  const answers = () => h.callbacks().filter((x) => x.type === 4 || x.type === 9);
  return {
    name: "Discord",
    r: h.r,
    channel: "200000000000000007",
    actor,
    async run(p, cmd) {
      const callbacks = answers().length;
      const edits = h.edits().length;
      // Discord's option names are the ids in snake_case, as registration makes them.
      const options = Object.fromEntries(cmd.args.map(([id, v]) => [discordName(id), v]));
      h.feed(chatInput(cmd.command, cmd.sub, options, { userId: userId(p), username: p }));
      await h.discord.waitFor(
        () => answers().length > callbacks || h.edits().length > edits,
        `an answer to ${line(cmd)}`,
      );
      const fresh = answers().slice(callbacks);
      return {
        text: [...fresh.map((x) => JSON.stringify(x.data)), ...h.edits().slice(edits)].join("\n"),
        formOpened: fresh.some((x) => x.type === 9),
      };
    },
    posts: async () => {
      await h.dispatcher.flush();
      return h.discord.of("POST", /^\/channels\/[^/]+\/messages$/).length;
    },
    close: () => h.close(),
  };
}

// ---- the checks ---------------------------------------------------------------------------------

/** Everything a refusal must leave as it was: the records, their timelines, the posts. */
async function snapshot(d: Driver, s: Subject) {
  const sv = d.r.relais.services;
  const ids = [s.ticket, s.parent].filter((x): x is number => x !== undefined);
  const posts = await d.posts(); // first: it lets work in flight end (an incident room being opened)
  return JSON.stringify({
    tickets: await Promise.all(ids.map((id) => sv.tickets.get(id))),
    timelines: await Promise.all(ids.map(async (id) => (await sv.tickets.timeline(id)).map((e) => e.kind))),
    outage: s.outage !== undefined ? await sv.outages.get(s.outage) : null,
    outageTimeline: s.outage !== undefined ? (await sv.outages.timeline(s.outage)).map((e) => e.kind) : null,
    escalation: s.escalation !== undefined ? await sv.escalations.get(s.escalation) : null,
    draft: s.draft !== undefined ? await d.r.relais.store.updateDrafts.get(s.draft) : null,
    posts,
  });
}

/** The words of a catalog message around its placeholders: what any surface shows of it. */
function wordsOf(key: keyof typeof fr): string[] {
  return fr[key]
    .split(/\{\w+\}/)
    .map((w) => w.trim())
    .filter((w) => w.length >= 4);
}

/** What the reply shows, as the JSON or text of each surface carries it. */
const shown = (text: string) => text.replace(/\\n/g, "\n").replace(/\\"/g, '"');

const SURFACES = [
  ["shell", shellDriver],
  ["Slack", slackDriver],
  ["Discord", discordDriver],
] as const;

for (const [surface, start] of SURFACES) {
  describe(`the authority table on ${surface}`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await start();
    });
    afterAll(() => d?.close());

    const rows = CASES.flatMap((k) =>
      (Object.entries(k.expect) as [Role, Expected][]).map(([role, expected]) => ({ k, role, expected })),
    );
    it.each(rows.map((row) => [row.k.action, row.role, row.expected, row] as const))(
      "GIVEN %s by the %s THEN %s",
      async (_action, role, expected, { k }) => {
        const s = await k.setup(d);
        const before = await snapshot(d, s);
        const person = ROLE[role];
        const out = await d.run(person, k.cmd(s), expected);
        const text = shown(out.text);
        if (expected.startsWith("refused:")) {
          const code = expected.slice("refused:".length);
          if (out.error !== undefined) expect(out.error).toBe(code);
          for (const w of wordsOf(`error.${code}` as keyof typeof fr)) expect(text).toContain(w);
          expect(out.formOpened).toBe(false);
          // A refusal changes nothing: the records, their timelines, the posts on the platform.
          expect(await snapshot(d, s)).toBe(before);
          return;
        }
        if (expected === "form") {
          // Let in by the precheck: the form opened (the shell's is given up at once: form_cancelled).
          expect(out.formOpened).toBe(true);
          return;
        }
        expect(out.error).toBeUndefined();
        expect(out.formOpened).toBe(false);
        if (expected === "draft") for (const w of wordsOf("voice.draft_saved")) expect(text).toContain(w);
        if (expected === "handover") {
          for (const w of wordsOf("voice.take_request_sent")) expect(text).toContain(w);
          expect((await d.r.relais.services.tickets.get(s.ticket!)).ownerId).toBe(d.actor("alice").id);
        }
        if (expected === "done" && !k.readOnly) expect(await snapshot(d, s)).not.toBe(before);
        // Nothing here is a refusal in disguise.
        expect(text).not.toContain("Rien n’a été changé");
      },
    );
  });
}
