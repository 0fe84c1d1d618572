/**
 * Ownership before every change: a resource Switchyard finds by NAME (load balancers, target
 * groups, Auto Scaling groups, the launch template, the database, alarms, the instance role...)
 * is used, changed or deleted only if it carries `switchyard:environment=<this environment's
 * id>`. Anything else with the name is someone else's: provisioning stops with a message that
 * says so; teardown leaves it alone ("kept" on the timeline).
 */
import { adoptedNames, type AdoptedResources } from "../adopt/record.ts";
import { ServiceError } from "../errors.ts";
import { TAG_ENV, type StepContext } from "./context.ts";

type Tags = ReadonlyArray<{ Key?: string; Value?: string }> | undefined;

/** A resource with one of this environment's names that this environment does not own. */
export class ForeignResourceError extends ServiceError {
  constructor(
    readonly kind: string,
    readonly resourceName: string,
    readonly owner: string | undefined,
  ) {
    super(
      "CONFLICT",
      `${kind} named ${resourceName} exists and is not managed by this environment` +
        (owner ? ` (it is tagged for environment ${owner})` : " (it has no switchyard:environment tag)") +
        ": Switchyard will not adopt, change or delete it. Rename or remove it, or choose another environment name.",
    );
    this.name = "ForeignResourceError";
  }
}

export const ownerOf = (tags: Tags): string | undefined => tags?.find((t) => t.Key === TAG_ENV)?.Value;

/**
 * Throws ForeignResourceError unless `tags` say this environment owns the resource. An adopted
 * environment's own resources (the names in its adoption record) carry no tag of ours: a person
 * chose them, so they count as its own; it still never deletes them (teardown only forgets).
 */
export function checkOwner(
  ctx: Pick<StepContext, "envId"> & { names?: { adopted: AdoptedResources | null } },
  kind: string,
  name: string,
  tags: Tags,
): void {
  const adopted = ctx.names?.adopted;
  if (adopted && adoptedNames(adopted).includes(name)) return;
  const owner = ownerOf(tags);
  if (owner !== ctx.envId) throw new ForeignResourceError(kind, name, owner);
}

/**
 * For teardown: runs a find; a foreign resource counts as absent (nothing of ours is there) and
 * is recorded as kept, so a person sees what was left alone and why.
 */
export async function ignoringForeign<T>(ctx: StepContext, type: string, find: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await find();
  } catch (err) {
    if (!(err instanceof ForeignResourceError)) throw err;
    ctx.touch(type, `${err.resourceName} (not this environment's: ${err.owner ?? "untagged"})`, "kept");
    return undefined;
  }
}
