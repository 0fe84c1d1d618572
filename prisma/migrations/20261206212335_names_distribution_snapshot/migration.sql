-- AlterTable
-- Existing environments keep their unprefixed AWS names (NULL) and new ones get the sy- prefix.
-- Adding the column with its default in one statement would give the existing rows the prefix too.
ALTER TABLE "environment" ADD COLUMN     "namePrefix" TEXT;
ALTER TABLE "environment" ALTER COLUMN "namePrefix" SET DEFAULT 'sy-';
ALTER TABLE "environment" ADD COLUMN     "distributionId" TEXT;
ALTER TABLE "deployment" ADD COLUMN     "finalSnapshot" TEXT;
