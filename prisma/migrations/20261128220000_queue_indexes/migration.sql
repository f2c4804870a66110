-- DropIndex
DROP INDEX "Ticket_ownerId_status_idx";

-- CreateIndex
CREATE INDEX "Ticket_ownerId_status_priority_id_idx" ON "Ticket"("ownerId", "status", "priority", "id");

-- CreateIndex
CREATE INDEX "Ticket_pendingOwnerId_idx" ON "Ticket"("pendingOwnerId");
