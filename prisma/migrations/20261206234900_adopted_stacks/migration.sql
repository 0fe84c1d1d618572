-- AlterTable
ALTER TABLE "environment" ADD COLUMN     "adopted" JSONB;
