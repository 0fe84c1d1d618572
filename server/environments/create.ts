import { requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db, Prisma } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { validateSpec } from "./validate.ts";

/** Creates an environment (status draft) with spec version 1. */
export async function createEnvironment({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  try {
    return await db.$transaction(async (tx) => {
      const { spec, accountId } = await validateSpec(input, { tx });
      const env = await tx.environment.create({
        data: {
          name: spec.name,
          activeName: spec.name,
          accountId,
          region: spec.region,
          currentVersion: 1,
          specVersions: { create: { version: 1, spec: spec as object, createdBy: actor.label } },
        },
      });
      await recordAudit(tx, actor, "environment.create", { type: "environment", id: env.id, label: env.name }, { after: spec });
      return { environment: env, spec, version: 1 };
    });
  } catch (e) {
    // Two creates racing for one name: the unique index decides, the loser gets the same message.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new ServiceError("CONFLICT", "name: an environment with this name already exists", {
        name: ["An environment with this name already exists"],
      });
    }
    throw e;
  }
}
