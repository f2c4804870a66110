import type { DateTime } from "luxon";
import type { NewEvent, TimelineEvent } from "../timeline/events.ts";
import type { Outage } from "./model.ts";

export type NewOutage = Omit<Outage, "id" | "version">;
export type OutagePatch = { [K in keyof Omit<Outage, "id" | "version" | "declaredAt">]?: Outage[K] | null };

export interface OutageEventRow extends Omit<TimelineEvent, "ticketId" | "kind"> {
  outageId: number;
  kind: string;
}

/** Outages and their timelines; each write appends its event in the same transaction. */
export interface OutageRepository {
  create(outage: NewOutage, event: Omit<NewEvent, "kind"> & { kind: string }): Promise<Outage>;
  get(id: number): Promise<Outage | undefined>;
  update(
    id: number,
    patch: OutagePatch,
    event: Omit<NewEvent, "kind"> & { kind: string },
    expectedVersion: number,
  ): Promise<Outage>;
  ongoing(limit: number): Promise<Outage[]>;
  /** Outages resolved at or after `since`, the latest first (the public status page's last days). */
  resolvedSince(since: DateTime, limit: number): Promise<Outage[]>;
  timeline(id: number): Promise<OutageEventRow[]>;
}
