import type { TestRelais } from "../helpers.ts";

/**
 * What the message-limit tests of every surface (Slack Block Kit, Discord embeds and modals)
 * render: the longest ticket people can type, and a long queue.
 */

/** The longest ticket people can type: every free-text field at its maximum, then the longest progress notes. */
export async function longestTicket(r: TestRelais) {
  const long = (n: number) => "Écran bleu après mise à jour — ".repeat(60).slice(0, n);
  const t = await r.relais.services.tickets.create(
    { id: "u", name: "Marie-Éléonore de La Tour-d’Auvergne" },
    {
      title: long(150),
      requester: long(200),
      department: long(200),
      workstation: long(200),
      changed: long(1000),
      errorMessage: long(1000),
      workaroundText: long(1000),
      scope: long(200),
      assessment: { impact: "medium", urgency: "high", workaround: "partial" },
    },
  );
  await r.relais.services.tickets.update({ id: "u", name: "x" }, t.id, {
    stage: "log_analysis",
    nextAction: long(1000),
    blocker: long(1000),
    lastAction: long(1000),
  });
  return r.relais.services.tickets.get(t.id);
}

/** A queue of 60 tickets with long titles, opened by a technician. */
export async function longQueue(r: TestRelais): Promise<void> {
  for (let i = 0; i < 60; i++)
    await r.relais.services.tickets.create(
      { id: "u", name: "Technicien" },
      { title: `Problème ${i} ${"x".repeat(130)}` },
    );
}
