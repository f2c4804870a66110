-- CreateTable
CREATE TABLE "UpdateDraft" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "UpdateDraft_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "pendingOwnerId" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "pendingOwnerName" TEXT;
