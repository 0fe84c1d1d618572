-- CreateTable
CREATE TABLE "metrics_cache" (
    "key" TEXT NOT NULL,
    "window" BIGINT NOT NULL,
    "data" JSONB,
    "fetchedAt" TIMESTAMP(3),
    "claimWindow" BIGINT,
    "claimedUntil" TIMESTAMP(3),

    CONSTRAINT "metrics_cache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "cloudwatch_usage" (
    "environmentId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "metricsRequested" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "cloudwatch_usage_pkey" PRIMARY KEY ("environmentId","day")
);

