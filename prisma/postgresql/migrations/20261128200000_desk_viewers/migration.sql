-- CreateTable
CREATE TABLE "DeskViewer" (
    "userId" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "shown" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeskViewer_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "DeskViewer_openedAt_idx" ON "DeskViewer"("openedAt");
