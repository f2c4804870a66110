-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "followUpOf" INTEGER;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "dueAt" DATETIME;

-- CreateIndex
CREATE INDEX "Ticket_followUpOf_idx" ON "Ticket"("followUpOf");
