-- AlterTable
ALTER TABLE "Outage" ADD COLUMN     "pendingOwnerId" TEXT,
ADD COLUMN     "pendingOwnerName" TEXT;
