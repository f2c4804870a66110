-- AlterTable
ALTER TABLE "Outage" ADD COLUMN "summaryId" TEXT;
