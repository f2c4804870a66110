-- CreateTable
CREATE TABLE "Ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "priorityReason" TEXT NOT NULL,
    "impact" TEXT,
    "urgency" TEXT,
    "workaround" TEXT,
    "workaroundText" TEXT,
    "requester" TEXT,
    "department" TEXT,
    "workstation" TEXT,
    "profile" TEXT,
    "since" TEXT,
    "changed" TEXT,
    "reproducible" TEXT,
    "scope" TEXT,
    "errorMessage" TEXT,
    "createdBy" TEXT NOT NULL,
    "ownerId" TEXT,
    "ownerName" TEXT,
    "createdAt" DATETIME NOT NULL,
    "clockStart" DATETIME NOT NULL,
    "firstResponseAt" DATETIME,
    "firstResponseDue" DATETIME NOT NULL,
    "nextUpdateDue" DATETIME,
    "resolutionDue" DATETIME,
    "waitingOn" TEXT,
    "waitingFor" TEXT,
    "pausedAt" DATETIME,
    "stage" TEXT,
    "blocker" TEXT,
    "nextAction" TEXT,
    "lastAction" TEXT,
    "resolvedAt" DATETIME,
    "resolutionKind" TEXT,
    "resolutionNote" TEXT,
    "alternative" TEXT,
    "autoCloseAt" DATETIME,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT NOT NULL,
    CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Ticket_status_priority_id_idx" ON "Ticket"("status", "priority", "id");

-- CreateIndex
CREATE INDEX "Ticket_ownerId_status_idx" ON "Ticket"("ownerId", "status");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_id_idx" ON "TicketEvent"("ticketId", "id");
