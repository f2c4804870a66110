-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "editsKey" TEXT,
ADD COLUMN     "threadName" TEXT;

-- CreateIndex
CREATE INDEX "OutboxMessage_editsKey_status_idx" ON "OutboxMessage"("editsKey", "status");

-- Cards posted before the outbox held them: recorded as sent posts, so their edits and thread replies find them
INSERT INTO "OutboxMessage" ("key", "platform", "channel", "payload", "status", "attempts", "nextAttemptAt", "sentAt", "messageId", "createdAt")
SELECT 'T-' || "ticketId" || ':card:' || "platform", "platform", "channel", '{"blocks":[],"ephemeral":false}', 'sent', 1,
       now(), now(), "messageId", now()
FROM "ChatThread"
ON CONFLICT ("key") DO NOTHING;

-- AlterTable
ALTER TABLE "ChatThread" DROP COLUMN "messageId";
