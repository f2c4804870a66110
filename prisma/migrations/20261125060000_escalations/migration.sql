-- CreateTable
CREATE TABLE "Escalation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "targetTeam" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "evidence" TEXT,
    "actionsTaken" TEXT,
    "request" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "impact" TEXT NOT NULL,
    "deadline" TEXT,
    "recommendation" TEXT,
    "nextUpdateAt" DATETIME NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "ownerName" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ackById" TEXT,
    "ackByName" TEXT,
    "ackEta" DATETIME,
    "decisionOption" TEXT,
    "decisionRationale" TEXT,
    "decisionOwner" TEXT,
    "decidedById" TEXT,
    "decidedByName" TEXT,
    "followUps" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Escalation_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Escalation_ticketId_idx" ON "Escalation"("ticketId");

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "threadKey" TEXT;
