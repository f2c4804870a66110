import type { Logger } from "pino";
import type { Clock } from "./clock.ts";
import type { Policy } from "./config/policy.ts";
import { texts, type Lang } from "./i18n/index.ts";
import type { CommandContext, Services } from "./kit/command.ts";
import { SlaClock } from "./sla/sla-clock.ts";
import type { Store } from "./store/database.ts";
import { TicketService } from "./tickets/service.ts";
import type { Actor } from "./timeline/events.ts";

/** The platform-neutral application: services wired once, shared by every surface. */
export interface Relais {
  services: Services;
  store: Store;
  log?: Logger;
  context(actor: Actor, lang?: Lang): CommandContext;
}

export function createRelais(deps: { store: Store; policy: Policy; clock: Clock; log?: Logger }): Relais {
  const sla = new SlaClock(deps.policy);
  const services: Services = {
    tickets: new TicketService({ tickets: deps.store.tickets, sla, clock: deps.clock, policy: deps.policy }),
    sla,
    policy: deps.policy,
    clock: deps.clock,
  };
  return {
    services,
    store: deps.store,
    ...(deps.log ? { log: deps.log } : {}),
    context: (actor, lang) => ({ actor, services, texts: texts(lang ?? deps.policy.language, deps.policy.timezone) }),
  };
}
