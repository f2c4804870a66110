-- CreateTable
CREATE TABLE "RecordedCommand" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RecordedCommand_status_leaseUntil_idx" ON "RecordedCommand"("status", "leaseUntil");
