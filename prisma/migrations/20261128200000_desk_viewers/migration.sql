-- CreateTable
CREATE TABLE "DeskViewer" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "lang" TEXT NOT NULL,
    "shown" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DeskViewer_openedAt_idx" ON "DeskViewer"("openedAt");
