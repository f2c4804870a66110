-- CreateTable
CREATE TABLE "RecordedCommand" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecordedCommand_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecordedCommand_status_leaseUntil_idx" ON "RecordedCommand"("status", "leaseUntil");
