/**
 * Invalidations: InProgress -> Completed after a simulated minute or two. A repeated
 * CallerReference with the same paths returns the original invalidation; with other paths
 * it is refused (InvalidationBatchAlreadyExists), as AWS documents.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { inconsistentQuantities, invalidArgument, noSuchDistribution, noSuchInvalidation } from "./errors.ts";
import {
  cfState,
  INVALIDATION_MAX_MS,
  INVALIDATION_MIN_MS,
  newInvalidationId,
  randomBetween,
  schedule,
  type StoredInvalidation,
} from "./state.ts";

/** AWS: at most 3,000 paths in progress per distribution (15 with wildcards). */
const MAX_PATHS_IN_PROGRESS = 3000;
const MAX_WILDCARDS_IN_PROGRESS = 15;

const location = (distributionId: string, id: string) =>
  `https://cloudfront.amazonaws.com/2020-05-31/distribution/${distributionId}/invalidation/${id}`;

function toInvalidation(inv: StoredInvalidation) {
  return { Id: inv.id, Status: inv.status, CreateTime: new Date(inv.createdAt), InvalidationBatch: inv.batch };
}

function mustHaveDistribution(ctx: RequestContext, id: string | undefined): void {
  if (!id || !cfState(ctx.cloud).distributions[id]) throw noSuchDistribution(id ?? "");
}

export function createInvalidation(
  input: { DistributionId?: string; InvalidationBatch?: { Paths?: { Quantity?: number; Items?: string[] }; CallerReference?: string } },
  ctx: RequestContext,
) {
  mustHaveDistribution(ctx, input.DistributionId);
  const batch = input.InvalidationBatch;
  if (!batch?.CallerReference) throw invalidArgument("The parameter CallerReference is required.");
  const paths = batch.Paths?.Items ?? [];
  if (batch.Paths?.Quantity !== paths.length) throw inconsistentQuantities("InvalidationBatch.Paths");
  if (!paths.length) throw invalidArgument("The parameter Paths must contain at least one path.");
  if (paths.some((p) => !p.startsWith("/"))) throw invalidArgument("Your request contains one or more invalid invalidation paths.");

  const state = cfState(ctx.cloud);
  const list = (state.invalidations[input.DistributionId!] ??= []);
  const previous = list.find((i) => i.batch.CallerReference === batch.CallerReference);
  if (previous) {
    const same = JSON.stringify(previous.batch.Paths.Items ?? []) === JSON.stringify(paths);
    if (!same)
      throw new AwsError(
        "InvalidationBatchAlreadyExists",
        "The CallerReference you're using to create the invalidation batch is already associated with another batch.",
        409,
      );
    return { Location: location(input.DistributionId!, previous.id), Invalidation: toInvalidation(previous) };
  }
  const inProgress = list.filter((i) => i.status === "InProgress");
  const pathCount = inProgress.reduce((n, i) => n + (i.batch.Paths.Items?.length ?? 0), 0) + paths.length;
  const wildcards =
    inProgress.reduce((n, i) => n + (i.batch.Paths.Items ?? []).filter((p) => p.endsWith("*")).length, 0) +
    paths.filter((p) => p.endsWith("*")).length;
  if (pathCount > MAX_PATHS_IN_PROGRESS || wildcards > MAX_WILDCARDS_IN_PROGRESS) {
    throw new AwsError(
      "TooManyInvalidationsInProgress",
      "Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations.",
      400,
    );
  }
  const now = ctx.cloud.now();
  const inv: StoredInvalidation = {
    id: newInvalidationId(),
    distributionId: input.DistributionId!,
    status: "InProgress",
    createdAt: now,
    completeAt: now + randomBetween(INVALIDATION_MIN_MS, INVALIDATION_MAX_MS),
    batch: { Paths: { Quantity: paths.length, Items: [...paths] }, CallerReference: batch.CallerReference },
  };
  list.push(inv);
  schedule(state, inv.completeAt!);
  ctx.cloud.markDirty();
  return { Location: location(inv.distributionId, inv.id), Invalidation: toInvalidation(inv) };
}

export function getInvalidation(input: { DistributionId?: string; Id?: string }, ctx: RequestContext) {
  mustHaveDistribution(ctx, input.DistributionId);
  const inv = (cfState(ctx.cloud).invalidations[input.DistributionId!] ?? []).find((i) => i.id === input.Id);
  if (!inv) throw noSuchInvalidation(input.Id ?? "");
  return { Invalidation: toInvalidation(inv) };
}

/** Newest first; Marker is the Id the previous page ended with. */
export function listInvalidations(input: { DistributionId?: string; Marker?: string; MaxItems?: string | number }, ctx: RequestContext) {
  mustHaveDistribution(ctx, input.DistributionId);
  const maxItems = input.MaxItems === undefined || input.MaxItems === "" ? 100 : Number(input.MaxItems);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000)
    throw invalidArgument("The parameter MaxItems must be an integer between 1 and 1000.");
  const all = [...(cfState(ctx.cloud).invalidations[input.DistributionId!] ?? [])].reverse();
  let start = 0;
  if (input.Marker) {
    const at = all.findIndex((i) => i.id === input.Marker);
    if (at < 0) throw invalidArgument("The parameter Marker is invalid.");
    start = at + 1;
  }
  const page = all.slice(start, start + maxItems);
  const truncated = start + maxItems < all.length;
  return {
    InvalidationList: {
      Marker: input.Marker ?? "",
      NextMarker: truncated ? page[page.length - 1].id : undefined,
      MaxItems: maxItems,
      IsTruncated: truncated,
      Quantity: page.length,
      Items: page.length ? page.map((i) => ({ Id: i.id, CreateTime: new Date(i.createdAt), Status: i.status })) : undefined,
    },
  };
}
