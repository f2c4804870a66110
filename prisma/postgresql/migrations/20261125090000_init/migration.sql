-- CreateTable
CREATE TABLE "Ticket" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "clockStart" TIMESTAMP(3) NOT NULL,
    "firstResponseAt" TIMESTAMP(3),
    "firstResponseDue" TIMESTAMP(3) NOT NULL,
    "nextUpdateDue" TIMESTAMP(3),
    "resolutionDue" TIMESTAMP(3),
    "waitingOn" TEXT,
    "waitingFor" TEXT,
    "pausedAt" TIMESTAMP(3),
    "stage" TEXT,
    "blocker" TEXT,
    "nextAction" TEXT,
    "lastAction" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolutionKind" TEXT,
    "resolutionNote" TEXT,
    "alternative" TEXT,
    "autoCloseAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "pendingOwnerId" TEXT,
    "pendingOwnerName" TEXT,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT NOT NULL,

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatThread" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,

    CONSTRAINT "ChatThread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedRequest" (
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessedRequest_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "firedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "messageId" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "threadKey" TEXT,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outage" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "services" TEXT NOT NULL,
    "impact" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "workaround" TEXT,
    "channels" TEXT NOT NULL,
    "room" TEXT,
    "status" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "ownerName" TEXT NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL,
    "stage" TEXT,
    "blocker" TEXT,
    "nextAction" TEXT,
    "cause" TEXT,
    "estimate" TIMESTAMP(3),
    "lastUpdateAt" TIMESTAMP(3) NOT NULL,
    "nextUpdateDue" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "whatHappened" TEXT,
    "result" TEXT,
    "prevention" TEXT,
    "followUp" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "summaryId" TEXT,

    CONSTRAINT "Outage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutageEvent" (
    "id" SERIAL NOT NULL,
    "outageId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT NOT NULL,

    CONSTRAINT "OutageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FormDraft" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "values" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FormDraft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" SERIAL NOT NULL,
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
    "nextUpdateAt" TIMESTAMP(3) NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "ownerName" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ackById" TEXT,
    "ackByName" TEXT,
    "ackEta" TIMESTAMP(3),
    "decisionOption" TEXT,
    "decisionRationale" TEXT,
    "decisionOwner" TEXT,
    "decidedById" TEXT,
    "decidedByName" TEXT,
    "followUps" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateDraft" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER,
    "outageId" INTEGER,
    "authorId" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UpdateDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Ticket_status_priority_id_idx" ON "Ticket"("status", "priority", "id");

-- CreateIndex
CREATE INDEX "Ticket_ownerId_status_idx" ON "Ticket"("ownerId", "status");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_id_idx" ON "TicketEvent"("ticketId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ChatThread_ticketId_platform_key" ON "ChatThread"("ticketId", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");

-- CreateIndex
CREATE INDEX "Job_status_dueAt_idx" ON "Job"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_platform_channel_status_id_idx" ON "OutboxMessage"("platform", "channel", "status", "id");

-- CreateIndex
CREATE INDEX "Outage_status_id_idx" ON "Outage"("status", "id");

-- CreateIndex
CREATE INDEX "OutageEvent_outageId_id_idx" ON "OutageEvent"("outageId", "id");

-- CreateIndex
CREATE INDEX "FormDraft_userId_command_sub_idx" ON "FormDraft"("userId", "command", "sub");

-- CreateIndex
CREATE INDEX "Escalation_ticketId_idx" ON "Escalation"("ticketId");

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutageEvent" ADD CONSTRAINT "OutageEvent_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateDraft" ADD CONSTRAINT "UpdateDraft_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateDraft" ADD CONSTRAINT "UpdateDraft_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
