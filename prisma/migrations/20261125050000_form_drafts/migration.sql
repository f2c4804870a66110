-- CreateTable
CREATE TABLE "FormDraft" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "values" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FormDraft_userId_command_sub_idx" ON "FormDraft"("userId", "command", "sub");
