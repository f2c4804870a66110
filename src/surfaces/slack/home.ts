import type { HomeView } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Clock } from "../../clock.ts";
import { texts, type Texts } from "../../i18n/index.ts";
import type { DeskSurface, DeskViewer } from "../../kit/desk-homes.ts";
import type { SlaClock } from "../../sla/sla-clock.ts";
import { type Desk, deskReply } from "../../tickets/desk.ts";
import { toBlocks } from "./blocks.ts";

/** A person's desk as their App Home tab (at most 50 blocks: toBlocks keeps within a message's limit). */
export function homeView(x: Texts, desk: Desk, sla: SlaClock): HomeView {
  return { type: "home", blocks: toBlocks(deskReply(x, desk, sla)).blocks };
}

/**
 * The App Home (issue 15): each person's desk published with `views.publish` on their Home tab,
 * in their language, times in the policy's zone. A failure is logged by DeskHomes, never shown.
 */
export class SlackHome implements DeskSurface {
  constructor(private readonly d: { client: WebClient; sla: SlaClock; zone: string; clock: Clock; log?: Logger }) {}

  async publish(viewer: DeskViewer, desk: Desk): Promise<void> {
    const x = texts(viewer.lang, this.d.zone, this.d.clock);
    const user = viewer.id.replace(/^slack:/, "");
    await this.d.client.views.publish({ user_id: user, view: homeView(x, desk, this.d.sla) });
    this.d.log?.debug({ user }, "slack home published");
  }
}
