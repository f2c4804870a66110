-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "followUpOf" INTEGER,
ADD COLUMN     "dueAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Ticket_followUpOf_idx" ON "Ticket"("followUpOf");
