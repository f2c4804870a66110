-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UpdateDraft" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER,
    "outageId" INTEGER,
    "authorId" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "UpdateDraft_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UpdateDraft_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_UpdateDraft" ("authorId", "authorName", "createdAt", "id", "payload", "status", "ticketId") SELECT "authorId", "authorName", "createdAt", "id", "payload", "status", "ticketId" FROM "UpdateDraft";
DROP TABLE "UpdateDraft";
ALTER TABLE "new_UpdateDraft" RENAME TO "UpdateDraft";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
