-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "requesterId" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "parentId" INTEGER;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "outageId" INTEGER;

-- CreateIndex
CREATE INDEX "Ticket_parentId_idx" ON "Ticket"("parentId");

-- CreateIndex
CREATE INDEX "Ticket_outageId_idx" ON "Ticket"("outageId");
