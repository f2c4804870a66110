-- CreateIndex
CREATE INDEX "TicketEvent_kind_at_idx" ON "TicketEvent"("kind", "at");
