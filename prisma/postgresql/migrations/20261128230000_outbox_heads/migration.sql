-- CreateIndex
CREATE INDEX "OutboxMessage_status_platform_channel_id_idx" ON "OutboxMessage"("status", "platform", "channel", "id");
