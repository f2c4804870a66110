-- AlterTable
ALTER TABLE "Outage" ADD COLUMN "pendingOwnerId" TEXT;

-- AlterTable
ALTER TABLE "Outage" ADD COLUMN "pendingOwnerName" TEXT;
