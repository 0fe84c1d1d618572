-- AlterTable
ALTER TABLE "environment" ADD COLUMN     "liveSlot" TEXT NOT NULL DEFAULT 'blue',
ADD COLUMN     "lockDeploymentId" TEXT,
ADD COLUMN     "previousVersion" TEXT,
ADD COLUMN     "stack" JSONB,
ADD COLUMN     "warmUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "deployment" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "strategy" TEXT,
    "fromVersion" TEXT,
    "toVersion" TEXT,
    "fromSlot" TEXT,
    "toSlot" TEXT,
    "specVersion" INTEGER NOT NULL,
    "startedBy" TEXT NOT NULL,
    "approvedBy" TEXT,
    "runId" TEXT,
    "reason" TEXT,
    "verdict" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_step" (
    "id" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "detail" JSONB,
    "error" TEXT,

    CONSTRAINT "deployment_step_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deployment_environmentId_createdAt_idx" ON "deployment"("environmentId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_step_deploymentId_key_key" ON "deployment_step"("deploymentId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "environment_lockDeploymentId_key" ON "environment"("lockDeploymentId");

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_step" ADD CONSTRAINT "deployment_step_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

