/**
 * The delivery contract's settings (README, "The delivery contract"): SSM parameters under
 * /switchyard/<name>/ that the instances read at boot through their instance profile.
 *   ensureParameters  (after the database is available: it needs its endpoint)
 *     environment, region, artifact-uri (the template, {{environment}} filled in),
 *     db/engine, db/endpoint, db/port, db/name, db/secret-arn ("none" without a database),
 *     cache/engine, cache/endpoint (the primary), cache/reader-endpoint, cache/port, cache/tls
 *     ("none" without a cache; the cache is encrypted in transit: clients connect with TLS)
 *   writeSlotVersion (launch-template.ts, on every new launch template version)
 *     slots/<blue|green>/version
 * Written only when the value changed; the first parameter's tags prove ownership.
 */
import { GetParametersCommand, ListParameterTagsCommand, PutParameterCommand } from "../aws/sdk.ts";
import { isAlreadyExists, isNotFound } from "../aws/errors.ts";
import { defineStep, tagsOf, type Slot, type StepContext, type StepInput } from "./context.ts";
import { checkOwner } from "./ownership.ts";

/** SSM refuses empty values: an environment without a database says so. */
export const NONE = "none";
export const DB_NAME = "app";

export interface ParametersInput extends StepInput {
  database: { endpoint: string | null; port: number | null; secretArn: string | null } | null;
  /** The cache's endpoints once it is available (absent: written as "none"). */
  cache?: { primaryEndpoint: string | null; readerEndpoint: string | null; port: number | null } | null;
}

export function contractValues(input: ParametersInput): Record<string, string> {
  const { spec } = input;
  const db = spec.database ? input.database : null;
  const cache = spec.cache ? input.cache : null;
  return {
    environment: spec.name,
    region: spec.region,
    "artifact-uri": spec.app.artifactUri.replaceAll("{{environment}}", spec.name),
    "db/engine": spec.database?.engine ?? NONE,
    "db/endpoint": db?.endpoint ?? NONE,
    "db/port": db?.port ? String(db.port) : NONE,
    "db/name": spec.database ? DB_NAME : NONE,
    "db/secret-arn": db?.secretArn ?? NONE,
    "cache/engine": spec.cache?.engine ?? NONE,
    "cache/endpoint": cache?.primaryEndpoint ?? NONE,
    "cache/reader-endpoint": cache?.readerEndpoint ?? NONE,
    "cache/port": cache?.port ? String(cache.port) : NONE,
    "cache/tls": spec.cache ? "true" : NONE,
  };
}

/** Every parameter name of the contract: read (and deleted) by name, so the deployer's policy names them. */
export function contractNames(path: string): string[] {
  const keys = [
    "environment",
    "region",
    "artifact-uri",
    "db/engine",
    "db/endpoint",
    "db/port",
    "db/name",
    "db/secret-arn",
    "cache/engine",
    "cache/endpoint",
    "cache/reader-endpoint",
    "cache/port",
    "cache/tls",
    "slots/blue/version",
    "slots/green/version",
  ];
  return keys.map((k) => `${path}/${k}`);
}

/** The contract's parameters that exist, by name (GetParameters takes at most 10 names). */
export async function current(ctx: StepContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = contractNames(ctx.names.parameters);
  for (let i = 0; i < names.length; i += 10) {
    const page = await ctx.aws.ssm.send(new GetParametersCommand({ Names: names.slice(i, i + 10) }));
    for (const p of page.Parameters ?? []) if (p.Name) out.set(p.Name, p.Value ?? "");
  }
  return out;
}

/** Someone else's parameters under our path are never overwritten. */
async function checkParametersOwner(ctx: StepContext, existing: Map<string, string>) {
  const first = [...existing.keys()][0];
  if (!first) return;
  try {
    const tags = (await ctx.aws.ssm.send(new ListParameterTagsCommand({ ResourceType: "Parameter", ResourceId: first }))).TagList;
    checkOwner(ctx, "An SSM parameter", first, tags);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

async function put(input: StepInput, ctx: StepContext, existing: Map<string, string>, values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) {
    const name = `${ctx.names.parameters}/${key}`;
    const before = existing.get(name);
    if (before === value) {
      ctx.touch("ssm:parameter", name, "found");
      continue;
    }
    // SSM takes tags only on create, and refuses Overwrite together with Tags.
    const overwrite = () => ctx.aws.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true }));
    if (before !== undefined) await overwrite();
    else {
      try {
        await ctx.aws.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Tags: tagsOf(input) }));
      } catch (err) {
        // Created meanwhile: by a parallel step of this environment (provisioning writes the
        // contract and the blue slot's version at once), or by someone else. Ours: overwrite.
        if (!isAlreadyExists(err)) throw err;
        const tags = (await ctx.aws.ssm.send(new ListParameterTagsCommand({ ResourceType: "Parameter", ResourceId: name }))).TagList;
        checkOwner(ctx, "An SSM parameter", name, tags);
        await overwrite();
      }
    }
    ctx.touch("ssm:parameter", name, before === undefined ? "created" : "updated");
  }
}

export const ensureParameters = defineStep(
  "write the delivery contract (SSM parameters)",
  async (input: ParametersInput, ctx): Promise<{ path: string }> => {
    const existing = await current(ctx);
    await checkParametersOwner(ctx, existing);
    await put(input, ctx, existing, contractValues(input));
    return { path: ctx.names.parameters };
  },
);

/**
 * slots/<slot>/version: what a launch in that slot runs (the user data also says it). Returns
 * what the launch template's user data may name from the contract.
 */
export async function writeSlotVersion(
  input: StepInput,
  ctx: StepContext,
  slot: Slot,
  version: string,
): Promise<{ dbSecretArn: string | null }> {
  const existing = await current(ctx);
  await checkParametersOwner(ctx, existing);
  await put(input, ctx, existing, { [`slots/${slot}/version`]: version });
  const secret = existing.get(`${ctx.names.parameters}/db/secret-arn`);
  return { dbSecretArn: secret && secret !== NONE ? secret : null };
}
