import type { Clock } from "../clock.ts";
import type { Texts } from "../i18n/index.ts";
import { outageRef, type Outage } from "../outages/model.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { Story } from "../outages/report.ts";
import type { Block, Reply } from "../reply.ts";
import { isOpen, ref, type Ticket } from "./model.ts";
import type { TicketRepository } from "./ticket-repository.ts";

/**
 * The requesters who follow a record (PRODUCT.md "One story"): when an outage's or a parent
 * ticket's status update is published, the reachable requesters (`requesterId`) of the open tickets
 * linked to it — directly or under a linked ticket — get it privately, once per update and person
 * (the outbox key holds the update and the person: a redelivery or a second linked ticket of the
 * same person posts nothing more).
 */
export class Followers {
  constructor(
    private readonly d: {
      tickets: Pick<TicketRepository, "linked" | "timeline">;
      outbox: OutboxRepository;
      clock: Clock;
      texts: Texts;
    },
  ) {}

  /** Open tickets linked to `root` and, under them, their children (each once). */
  async of(root: { outageId: number } | { parentId: number }): Promise<Ticket[]> {
    return (await this.tree(root)).filter(isOpen);
  }

  /** The story of an outage: every ticket linked to it or under one, whatever its status, with its timeline. */
  async story(outageId: number): Promise<Story> {
    const tickets = await this.tree({ outageId });
    return {
      tickets: await Promise.all(
        tickets.map(async (ticket) => ({ ticket, events: await this.d.tickets.timeline(ticket.id) })),
      ),
    };
  }

  private async tree(root: { outageId: number } | { parentId: number }): Promise<Ticket[]> {
    const found = new Map<number, Ticket>();
    let level = await this.d.tickets.linked(root);
    for (let depth = 0; level.length > 0 && depth < 10; depth++) {
      const next: Ticket[] = [];
      for (const t of level) {
        if (found.has(t.id)) continue;
        found.set(t.id, t);
        next.push(...(await this.d.tickets.linked({ parentId: t.id })));
      }
      level = next;
    }
    return [...found.values()];
  }

  /** An outage update (or announcement, no change, resolution), privately to each reachable requester. */
  async outage(o: Outage, step: string, message: Reply): Promise<void> {
    await this.send(await this.of({ outageId: o.id }), outageRef(o.id), `${outageRef(o.id)}:${step}`, message);
  }

  /** A parent ticket's published status update, privately to its children's reachable requesters. */
  async parentUpdated(parent: Ticket): Promise<void> {
    const x = this.d.texts;
    const message: Reply = {
      blocks: [
        {
          type: "text",
          text: x.t("ticket.updated", {
            ref: ref(parent.id),
            stage: parent.stage ? x.t(`choice.stage.${parent.stage}`) : x.t("ticket.none"),
            blocker: parent.blocker ?? x.t("ticket.none"),
            nextAction: parent.nextAction,
            nextUpdate: parent.nextUpdateDue ? x.moments()(parent.nextUpdateDue) : x.t("summary.next_update_none"),
          }),
        },
      ],
      ephemeral: false,
    };
    await this.send(
      await this.of({ parentId: parent.id }),
      ref(parent.id),
      `${ref(parent.id)}:update-${parent.version}`,
      message,
    );
  }

  private async send(tickets: readonly Ticket[], source: string, key: string, message: Reply): Promise<void> {
    const now = this.d.clock.now();
    const sent = new Set<string>();
    for (const t of tickets) {
      if (!t.requesterId || sent.has(t.requesterId)) continue;
      sent.add(t.requesterId);
      const intro: Block = {
        type: "context",
        text: this.d.texts.t("outage.requester_intro", { ticket: ref(t.id), ref: source }),
      };
      await this.d.outbox.enqueue(
        {
          ...platformOf(t.requesterId),
          key: `${key}:requester:${t.requesterId}`,
          reply: { ...message, blocks: [intro, ...message.blocks], ephemeral: false },
        },
        now,
      );
    }
  }
}
