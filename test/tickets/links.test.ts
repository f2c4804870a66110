import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startRelais, type TestRelais } from "../helpers.ts";
import { alice, bob } from "../support/fixtures.ts";

/** Links (issue 12, PRODUCT.md "One story"): tickets about the same problem hang under one parent. */

let r: TestRelais;
beforeEach(async () => {
  r = await startRelais(); // Tuesday 10:00
});
afterEach(() => r.close());

async function snapshot() {
  const { tickets } = await r.relais.services.tickets.list(alice, "all", 1000);
  const closed = await Promise.all([1, 2, 3, 4].map((id) => r.relais.store.tickets.get(id)));
  const timelines = await Promise.all(tickets.map((t) => r.relais.store.tickets.timeline(t.id)));
  return JSON.stringify({ tickets, closed, timelines });
}

async function closeT3() {
  await r.say("/ticket resolve T-3 fixed doublon de T-1");
  await r.say("/ticket close T-3");
  expect((await r.relais.services.tickets.get(3)).status).toBe("closed");
}

const kinds = async (id: number) => (await r.relais.store.tickets.timeline(id)).map((e) => e.kind);

describe("/ticket link T-<child> T-<parent>", () => {
  it("GIVEN two tickets on the same problem THEN the child hangs under the parent, on both timelines", async () => {
    await r.say("/ticket Imprimante bloquée au 2e");
    await r.say("/ticket Imprimante du 2e ne répond plus");
    const reply = await r.text("/ticket lier T-2 T-1");
    expect(reply).toContain("T-2 rattaché à T-1");
    expect((await r.relais.services.tickets.get(2)).parentId).toBe(1);
    expect(await kinds(2)).toContain("linked");
    expect(await kinds(1)).toContain("child_linked");
    expect((await r.relais.store.tickets.linked({ parentId: 1 })).map((t) => t.id)).toEqual([2]);
    // English name, English answer.
    await r.say("/ticket VPN coupé");
    expect(await r.text("/ticket link T-3 T-1", { lang: "en" })).toContain("T-3 linked to T-1");
  });

  const refusals: [string, string, string, (() => Promise<void>)?][] = [
    ["itself", "/ticket lier T-1 T-1", "Impossible de rattacher T-1 à lui-même"],
    ["an unknown parent", "/ticket lier T-1 T-9", "Le ticket T-9 n’existe pas"],
    ["an unknown child", "/ticket lier T-9 T-1", "Le ticket T-9 n’existe pas"],
    ["a closed parent", "/ticket lier T-1 T-3", "T-3 est clos", closeT3],
    ["a closed child", "/ticket lier T-3 T-1", "T-3 est clos", closeT3],
    [
      "a cycle (T-1 under T-2 under T-1)",
      "/ticket lier T-1 T-2",
      "T-2 dépend déjà de T-1",
      async () => void (await r.say("/ticket lier T-2 T-1")),
    ],
    [
      "a longer cycle (T-1 under T-3 under T-2 under T-1)",
      "/ticket lier T-1 T-3",
      "T-3 dépend déjà de T-1",
      async () => {
        await r.say("/ticket lier T-2 T-1");
        await r.say("/ticket lier T-3 T-2");
      },
    ],
    [
      "the same link twice",
      "/ticket lier T-2 T-1",
      "T-2 est déjà rattaché à T-1",
      async () => void (await r.say("/ticket lier T-2 T-1")),
    ],
  ];
  for (const [what, line, message, setup] of refusals) {
    it(`GIVEN ${what} THEN it is refused with a clear message and nothing changes`, async () => {
      for (const title of ["Imprimante bloquée", "Imprimante HS", "Imprimante muette"]) await r.say(`/ticket ${title}`);
      await setup?.();
      const before = await snapshot();
      const reply = await r.say(line);
      expect(reply.error).toBeDefined();
      expect(JSON.stringify(reply.blocks)).toContain(message);
      expect(await snapshot()).toBe(before);
    });
  }

  it("GIVEN the same refusals in English THEN each is said in English, and nothing changes", async () => {
    for (const title of ["Imprimante bloquée", "Imprimante HS", "Imprimante muette"]) await r.say(`/ticket ${title}`);
    await r.say("/ticket lier T-2 T-1");
    await closeT3();
    for (const [line, message] of [
      ["/ticket link T-1 T-1", "T-1 cannot be linked to itself: nothing was changed."],
      ["/ticket link T-1 T-3", "T-3 is closed: it cannot be linked nor declared as an outage."],
      ["/ticket link T-1 T-2", "linking T-1 to T-2 would make a loop"],
      ["/ticket link T-1 T-9", "Ticket T-9 does not exist."],
    ] as const) {
      const before = await snapshot();
      const reply = await r.say(line, { lang: "en" });
      expect(reply.error, line).toBeDefined();
      expect(JSON.stringify(reply.blocks), line).toContain(message);
      expect(await snapshot(), line).toBe(before);
    }
  });

  it("GIVEN someone who is not the child's owner THEN the refusal names the owner, in their language, and nothing changes", async () => {
    await r.say("/ticket Imprimante bloquée");
    await r.say("/ticket Imprimante HS");
    const before = await snapshot();
    const reply = await r.say("/ticket link T-2 T-1", { actor: bob, lang: "en" });
    expect(JSON.stringify(reply.blocks)).toContain("Only Alice, owner of T-2, or a manager may link it");
    expect(await snapshot()).toBe(before);
  });

  it("GIVEN repeated tickets from the same requester THEN the repetition flag suggests the link with the right refs", async () => {
    const form = (title: string) => ({ form: { title, requester: "Martin", department: "Compta" } });
    await r.say("/ticket", form("Imprimante bloquée compta"));
    await r.say("/ticket", form("Imprimante compta bloquée encore"));
    const third = await r.text("/ticket", form("Imprimante compta toujours bloquée"));
    expect(third).toContain("/ticket lier T-3 T-1");
  });
});

describe("a line with references but no subcommand", () => {
  for (const [line, likely] of [
    ["/ticket T-2 T-1", "/ticket lier T-2 T-1"],
    ["/ticket liez T-2 T-1", "/ticket lier T-2 T-1"],
    ["/ticket T-2", "/ticket voir T-2"],
    ["/ticket regarder T-2 svp", "/ticket voir T-2"],
  ] as const) {
    it(`GIVEN "${line}" THEN it is answered with "${likely}" and no ticket is created`, async () => {
      await r.say("/ticket Imprimante bloquée");
      await r.say("/ticket Imprimante HS");
      const before = await snapshot();
      const reply = await r.say(line);
      expect(reply.error).toBeDefined();
      expect(JSON.stringify(reply.blocks)).toContain(`Vouliez-vous dire : ${likely}`);
      expect(await snapshot()).toBe(before);
    });
  }

  it("GIVEN a plain title or /escalate T-3 THEN nothing changes in how they are read", async () => {
    expect((await r.say("/ticket Imprimante bloquée au 2e")).ticketId).toBe(1);
  });

  it("GIVEN a title that cites a reference in a sentence THEN it is a title, and the refusal says how to write one", async () => {
    const t = await r.say("/ticket Imprimante HS, même souci que T-12");
    expect(t.error).toBeUndefined();
    expect((await r.relais.services.tickets.get(t.ticketId!)).title).toBe("Imprimante HS, même souci que T-12");
    const refused = await r.say("/ticket T-2 T-1");
    expect(JSON.stringify(refused.blocks)).toContain("/ticket nouveau …");
    expect(JSON.stringify((await r.say("/ticket T-2 T-1", { lang: "en" })).blocks)).toContain("/ticket new …");
  });
});
