import type { DateTime } from "luxon";

/** An update written by someone other than the owner, waiting for the owner (one voice). */
export interface UpdateDraft {
  id: number;
  /** The ticket or the outage it is for (one of the two). */
  ticketId?: number;
  outageId?: number;
  authorId: string;
  authorName: string;
  payload: {
    stage: string;
    nextAction: string;
    blocker?: string;
    lastAction?: string;
    nextUpdate?: string;
    cause?: string;
    estimate?: string;
    reason?: string;
  };
  status: "pending" | "approved" | "rejected";
  createdAt: DateTime;
}

export interface UpdateDraftRepository {
  create(d: Omit<UpdateDraft, "id" | "status">): Promise<UpdateDraft>;
  get(id: number): Promise<UpdateDraft | undefined>;
  /** Settles a pending draft; false when it was already settled (double click). */
  settle(id: number, status: "approved" | "rejected"): Promise<boolean>;
}
