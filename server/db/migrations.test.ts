import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { prisma } from "../../scripts/lib/database.ts";

describe("schema and migrations", () => {
  it("the migration history produces exactly the schema (no drift)", async () => {
    // Exit code 2 means "there is a difference"; 0 means none.
    const { code, out } = await prisma(
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"],
      inject("pgTemplateUrl"),
      { allowExit: [2] },
    );
    expect(code, `schema.prisma differs from prisma/migrations; run \`npm run db:diff -- <name>\`:\n${out}`).toBe(0);
  });

  it("a migrated database has every migration applied", async () => {
    const { out } = await prisma(["migrate", "status"], inject("pgTemplateUrl"));
    expect(out).toMatch(/Database schema is up to date/);
  });
});
