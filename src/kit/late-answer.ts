import type { Clock } from "../clock.ts";
import { platformOf } from "../channel-ref.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import type { Reply } from "../reply.ts";
import type { InteractionPort } from "./ports.ts";
import type { RecordedCommand } from "./recorded-commands.ts";

/**
 * The port of a recorded command run late (its replica died after the ack): its surface's port,
 * but nothing is acknowledged any more and the person is answered by `first` when the platform
 * still can (Slack: the request's response_url, valid 30 minutes), else privately through the
 * outbox — their direct messages — so the answer survives like any post.
 */
export function answeredLate(
  port: InteractionPort,
  c: RecordedCommand,
  deps: { outbox: OutboxRepository; clock: Clock },
  first?: (reply: Reply) => Promise<boolean>,
): InteractionPort {
  let n = 0;
  return {
    ...port,
    ack: async () => {},
    // Whoever typed it is waiting to hear: a public reply goes where it belongs and to them too.
    echoPublic: true,
    async answer(reply) {
      if (first && (await first(reply).catch(() => false))) return;
      const to = platformOf(c.actor.id);
      await deps.outbox.enqueue({ ...to, key: `command:${c.id}:answer:${n++}`, reply }, deps.clock.now());
    },
  };
}
