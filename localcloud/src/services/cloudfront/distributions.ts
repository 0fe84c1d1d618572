/**
 * Distribution lifecycle: Create(WithTags) -> InProgress -> Deployed (3-5 simulated minutes);
 * every UpdateDistribution needs the current ETag in If-Match, gets a new ETag and deploys
 * again; DeleteDistribution only once the distribution is disabled and Deployed.
 */
import type { RequestContext, ModelDocument } from "../../core/types.ts";
import { configFingerprint, normalizeConfig, sameConfig, validateConfig } from "./config.ts";
import {
  distributionAlreadyExists,
  distributionNotDisabled,
  illegalUpdate,
  invalidArgument,
  invalidIfMatch,
  noSuchDistribution,
  preconditionFailed,
} from "./errors.ts";
import {
  cfState,
  DEPLOY_MAX_MS,
  DEPLOY_MIN_MS,
  distributionArn,
  distributionLocation,
  newDistributionId,
  newDomainName,
  newETag,
  randomBetween,
  schedule,
  type StoredDistribution,
} from "./state.ts";
import { checkTags } from "../../core/tags.ts";
import { cfTagRules } from "./tags.ts";
import { toDistribution, toSummary } from "./view.ts";

type Config = ModelDocument;

function mustFind(ctx: RequestContext, id: string | undefined): StoredDistribution {
  const d = id ? cfState(ctx.cloud).distributions[id] : undefined;
  if (!d) throw noSuchDistribution(id ?? "");
  return d;
}

/** If-Match is required and must be the current ETag. */
function checkIfMatch(d: StoredDistribution, ifMatch: string | undefined): void {
  if (!ifMatch) throw invalidIfMatch();
  if (ifMatch !== d.etag) throw preconditionFailed();
}

function startDeploying(ctx: RequestContext, d: StoredDistribution): void {
  const now = ctx.cloud.now();
  d.status = "InProgress";
  d.lastModifiedAt = now;
  d.deployAt = now + randomBetween(DEPLOY_MIN_MS, DEPLOY_MAX_MS);
  schedule(cfState(ctx.cloud), d.deployAt);
}

function create(ctx: RequestContext, rawConfig: Config | undefined, tags: Array<{ Key: string; Value: string }>) {
  if (!rawConfig) throw invalidArgument("The parameter DistributionConfig is required.");
  const state = cfState(ctx.cloud);
  const all = Object.values(state.distributions);
  const fingerprint = configFingerprint(rawConfig);
  const sameReference = all.find((d) => d.config.CallerReference === rawConfig.CallerReference);
  if (sameReference) {
    // A retried create (same CallerReference, config identical to the original request) gets
    // the distribution back; any other config under that reference is DistributionAlreadyExists.
    const same =
      sameReference.createFingerprint !== undefined
        ? sameReference.createFingerprint === fingerprint
        : sameConfig(normalizeConfig(rawConfig), sameReference.config);
    if (!same) throw distributionAlreadyExists(sameReference.id);
    return {
      Distribution: toDistribution(ctx.cloud, sameReference),
      Location: distributionLocation(sameReference.id),
      ETag: sameReference.etag,
    };
  }
  validateConfig(rawConfig, all);
  const id = newDistributionId();
  const now = ctx.cloud.now();
  const d: StoredDistribution = {
    id,
    arn: distributionArn(ctx.cloud.accountId, id),
    domainName: newDomainName(),
    config: normalizeConfig(rawConfig),
    createFingerprint: fingerprint,
    etag: newETag(),
    status: "InProgress",
    createdAt: now,
    lastModifiedAt: now,
    tags,
  };
  state.distributions[id] = d;
  startDeploying(ctx, d);
  ctx.cloud.markDirty();
  return { Distribution: toDistribution(ctx.cloud, d), Location: distributionLocation(id), ETag: d.etag };
}

export function createDistribution(input: { DistributionConfig?: Config }, ctx: RequestContext) {
  return create(ctx, input.DistributionConfig, []);
}

export function createDistributionWithTags(
  input: { DistributionConfigWithTags?: { DistributionConfig?: Config; Tags?: { Items?: Array<{ Key: string; Value?: string }> } } },
  ctx: RequestContext,
) {
  const withTags = input.DistributionConfigWithTags;
  if (!withTags?.Tags) throw invalidArgument("The parameter Tags is required.");
  const tags = checkTags(withTags.Tags.Items, cfTagRules);
  return create(ctx, withTags.DistributionConfig, tags);
}

export function getDistribution(input: { Id?: string }, ctx: RequestContext) {
  const d = mustFind(ctx, input.Id);
  return { Distribution: toDistribution(ctx.cloud, d), ETag: d.etag };
}

export function getDistributionConfig(input: { Id?: string }, ctx: RequestContext) {
  const d = mustFind(ctx, input.Id);
  return { DistributionConfig: d.config, ETag: d.etag };
}

export function updateDistribution(input: { Id?: string; IfMatch?: string; DistributionConfig?: Config }, ctx: RequestContext) {
  const d = mustFind(ctx, input.Id);
  checkIfMatch(d, input.IfMatch);
  const config = input.DistributionConfig;
  if (!config) throw invalidArgument("The parameter DistributionConfig is required.");
  if (config.CallerReference !== d.config.CallerReference) throw illegalUpdate("The CallerReference of a distribution can't be changed.");
  validateConfig(
    config,
    Object.values(cfState(ctx.cloud).distributions).filter((x) => x !== d),
  );
  d.config = normalizeConfig(config);
  d.etag = newETag();
  startDeploying(ctx, d);
  ctx.cloud.markDirty();
  return { Distribution: toDistribution(ctx.cloud, d), ETag: d.etag };
}

export function deleteDistribution(input: { Id?: string; IfMatch?: string }, ctx: RequestContext) {
  const d = mustFind(ctx, input.Id);
  checkIfMatch(d, input.IfMatch);
  if (d.config.Enabled !== false || d.status !== "Deployed") throw distributionNotDisabled();
  const state = cfState(ctx.cloud);
  delete state.distributions[d.id];
  delete state.invalidations[d.id];
  ctx.cloud.markDirty();
  return {};
}

/** Ordered by Id; Marker is the Id the previous page ended with. */
export function listDistributions(input: { Marker?: string; MaxItems?: string | number }, ctx: RequestContext) {
  const maxItems = input.MaxItems === undefined || input.MaxItems === "" ? 100 : Number(input.MaxItems);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000)
    throw invalidArgument("The parameter MaxItems must be an integer between 1 and 1000.");
  const marker = input.Marker ?? "";
  const all = Object.values(cfState(ctx.cloud).distributions)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .filter((d) => !marker || d.id > marker);
  const page = all.slice(0, maxItems);
  const truncated = all.length > maxItems;
  return {
    DistributionList: {
      Marker: marker,
      NextMarker: truncated ? page[page.length - 1].id : undefined,
      MaxItems: maxItems,
      IsTruncated: truncated,
      Quantity: page.length,
      Items: page.length ? page.map(toSummary) : undefined,
    },
  };
}
