/**
 * CloudFront steps (skipped when the spec has cloudfront off):
 *   1. ensureDistribution       (needs ensureLoadBalancer.dnsName and originSecret) the ALB as an
 *                               http-only custom origin that CloudFront calls with the secret
 *                               origin header (the ALB answers nothing else); not cached by
 *                               default, content-hashed static paths cached long. The id is saved
 *                               on the environment the moment it exists.
 *   2. waitDistributionDeployed (bounded poll, GetDistribution by that id; also after disabling)
 * invalidateDistribution: "/*" after a promote or a rollback, so viewers get the new version.
 * Teardown: disableDistribution -> waitDistributionDeployed -> deleteDistribution.
 *
 * CallerReference: AWS answers DistributionAlreadyExists when a reference is reused with a
 * different config, so each provisioning run (attempt) has its own; the retries of one step
 * share it and get the same distribution back. Nothing lists every distribution of the account.
 */
import {
  CreateDistributionWithTagsCommand,
  CreateInvalidationCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionTagsCommand,
  UpdateDistributionCommand,
  type Distribution,
  type DistributionConfig,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { awsErrorCode, isNotFound } from "../aws/errors.ts";
import { defineRead, defineStep, saveDistributionId, tagsOf, type Poll, type StepContext, type StepInput } from "./context.ts";
import { ORIGIN_HEADER } from "./listener-routing.ts";
import { checkOwner } from "./ownership.ts";

/** AWS managed policies (fixed ids, the same in every account). */
export const CACHE_POLICY = {
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
export const ORIGIN_REQUEST_POLICY_ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
/** Paths whose file names carry a content hash (Next.js, Vite, Create React App): safe to cache long. */
export const STATIC_PATHS = ["/_next/static/*", "/assets/*", "/static/*"];
const ORIGIN_ID = "alb";

export const commentOf = (input: { envId: string; spec: { name: string } }) => `Switchyard ${input.spec.name} (${input.envId})`;

/** The environment's distribution by id (the saved one unless given), checked to be its own. */
export async function findDistribution(
  ctx: StepContext,
  id: string | null = ctx.distributionId,
): Promise<(Distribution & { ETag?: string }) | undefined> {
  if (!id) return undefined;
  try {
    const out = await ctx.aws.cloudfront.send(new GetDistributionCommand({ Id: id }));
    const d = out.Distribution;
    if (!d?.ARN) return undefined;
    const tags = (await ctx.aws.cloudfront.send(new ListDistributionTagsCommand({ Resource: d.ARN }))).Tags?.Items;
    checkOwner(ctx, "A CloudFront distribution", id, tags);
    return { ...d, ETag: out.ETag };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function configOf(input: StepInput, albDnsName: string, originSecret: string | null, callerReference: string): DistributionConfig {
  const methods = {
    Quantity: 7,
    Items: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"] as const,
    CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] as const },
  };
  return {
    CallerReference: callerReference,
    Comment: commentOf(input),
    Enabled: true,
    PriceClass: "PriceClass_100",
    HttpVersion: "http2",
    IsIPV6Enabled: true,
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: ORIGIN_ID,
          DomainName: albDnsName,
          CustomHeaders: originSecret
            ? { Quantity: 1, Items: [{ HeaderName: ORIGIN_HEADER, HeaderValue: originSecret }] }
            : { Quantity: 0 },
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: "http-only",
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: ORIGIN_ID,
      ViewerProtocolPolicy: "redirect-to-https",
      CachePolicyId: CACHE_POLICY.cachingDisabled,
      OriginRequestPolicyId: ORIGIN_REQUEST_POLICY_ALL_VIEWER,
      AllowedMethods: {
        ...methods,
        Items: [...methods.Items],
        CachedMethods: { ...methods.CachedMethods, Items: [...methods.CachedMethods.Items] },
      },
      Compress: true,
    },
    CacheBehaviors: {
      Quantity: STATIC_PATHS.length,
      Items: STATIC_PATHS.map((PathPattern) => ({
        PathPattern,
        TargetOriginId: ORIGIN_ID,
        ViewerProtocolPolicy: "redirect-to-https",
        CachePolicyId: CACHE_POLICY.cachingOptimized,
        Compress: true,
      })),
    },
  };
}

export interface DistributionOutput {
  distributionId: string | null;
  domainName: string | null;
}

/** Points an existing distribution at the load balancer with the current secret, when it is not already. */
async function converge(ctx: StepContext, id: string, dnsName: string, originSecret: string | null) {
  const current = await ctx.aws.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
  const config = current.DistributionConfig!;
  const origin = config.Origins?.Items?.find((o) => o.Id === ORIGIN_ID);
  const header = origin?.CustomHeaders?.Items?.find((h) => h.HeaderName === ORIGIN_HEADER)?.HeaderValue ?? null;
  if (!origin || (origin.DomainName === dnsName && header === originSecret)) return false;
  origin.DomainName = dnsName;
  origin.CustomHeaders = originSecret
    ? { Quantity: 1, Items: [{ HeaderName: ORIGIN_HEADER, HeaderValue: originSecret }] }
    : { Quantity: 0 };
  await ctx.aws.cloudfront.send(new UpdateDistributionCommand({ Id: id, IfMatch: current.ETag, DistributionConfig: config }));
  return true;
}

export const ensureDistribution = defineStep(
  "create the CloudFront distribution",
  async (input: StepInput & { dnsName: string; originSecret: string | null; attempt: string }, ctx): Promise<DistributionOutput> => {
    if (!input.spec.cloudfront) return { distributionId: null, domainName: null };
    const found = await findDistribution(ctx);
    if (found?.Id) {
      const updated = await converge(ctx, found.Id, input.dnsName, input.originSecret);
      ctx.touch("cloudfront:distribution", found.Id, updated ? "updated" : "found");
      return { distributionId: found.Id, domainName: found.DomainName ?? null };
    }
    const config = configOf(input, input.dnsName, input.originSecret, `${input.envId}/${input.attempt}`);
    let created: Distribution | undefined;
    try {
      created = (
        await ctx.aws.cloudfront.send(
          new CreateDistributionWithTagsCommand({
            DistributionConfigWithTags: { DistributionConfig: config, Tags: { Items: tagsOf(input) } },
          }),
        )
      ).Distribution;
    } catch (err) {
      if (awsErrorCode(err) !== "DistributionAlreadyExists") throw err;
      // The reference was used with another config (a retry after the secret or origin changed):
      // AWS names the distribution it belongs to; adopt it if it is this environment's.
      const id =
        /Already exists: (\w+)/i.exec(String((err as Error).message))?.[1] ??
        /\b(E[A-Z0-9]{8,})\b/.exec(String((err as Error).message))?.[1];
      const existing = id ? await findDistribution(ctx, id) : undefined;
      if (!existing?.Id) throw err;
      await converge(ctx, existing.Id, input.dnsName, input.originSecret);
      created = existing;
    }
    const id = created?.Id;
    if (!id) throw new Error("CreateDistribution returned no distribution");
    await saveDistributionId(input.envId, id);
    ctx.touch("cloudfront:distribution", id, "created");
    return { distributionId: id, domainName: created?.DomainName ?? null };
  },
);

export const waitDistributionDeployed = defineRead(
  "wait for the CloudFront distribution",
  async (
    input: StepInput & { distributionId?: string | null },
    ctx,
  ): Promise<Poll<{ status: string; enabled: boolean | null; summary: string }>> => {
    const id = input.distributionId ?? ctx.distributionId;
    if (!id) return { done: true, detail: { status: "missing", enabled: null, summary: "no distribution" } };
    // Just created: GetDistribution may answer NoSuchDistribution for a moment (eventual consistency).
    const d = await afterCreate(() => ctx.aws.cloudfront.send(new GetDistributionCommand({ Id: id })), { timeoutMs: 30_000 })
      .then((o) => o.Distribution)
      .catch((err) => (isNotFound(err) && !input.distributionId ? undefined : Promise.reject(err)));
    if (!d) return { done: true, detail: { status: "missing", enabled: null, summary: `${id} is gone` } };
    const status = d.Status ?? "unknown";
    return { done: status === "Deployed", detail: { status, enabled: d.DistributionConfig?.Enabled ?? null, summary: `${id} ${status}` } };
  },
);

/** Viewers get the new version at once after a promote or rollback: "/*" invalidated (one path, one charge). */
export const invalidateDistribution = defineStep(
  "invalidate CloudFront's cache",
  async (input: StepInput & { reference: string }, ctx): Promise<{ invalidationId: string | null }> => {
    if (!input.spec.cloudfront || !ctx.distributionId) return { invalidationId: null };
    const out = await ctx.aws.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: ctx.distributionId,
        InvalidationBatch: { CallerReference: input.reference, Paths: { Quantity: 1, Items: ["/*"] } },
      }),
    );
    const id = out.Invalidation?.Id ?? null;
    if (id) ctx.touch("cloudfront:invalidation", `${ctx.distributionId}/${id}`, "created");
    return { invalidationId: id };
  },
);

/** Teardown 1/2: a distribution must be disabled (and deployed) before it can be deleted. */
export const disableDistribution = defineStep(
  "disable the CloudFront distribution",
  async (_input: StepInput, ctx): Promise<{ distributionId: string | null }> => {
    const d = await findDistribution(ctx);
    if (!d?.Id) return { distributionId: null };
    const current = await ctx.aws.cloudfront.send(new GetDistributionConfigCommand({ Id: d.Id }));
    if (current.DistributionConfig?.Enabled) {
      await ctx.aws.cloudfront.send(
        new UpdateDistributionCommand({
          Id: d.Id,
          IfMatch: current.ETag,
          DistributionConfig: { ...current.DistributionConfig, Enabled: false },
        }),
      );
      ctx.touch("cloudfront:distribution", d.Id, "updated");
    } else ctx.touch("cloudfront:distribution", d.Id, "found");
    return { distributionId: d.Id };
  },
);

/** Teardown 2/2: `done` is false while the disabled distribution is still deploying; call again later. */
export const deleteDistribution = defineStep(
  "delete the CloudFront distribution",
  async (input: StepInput, ctx): Promise<{ done: boolean }> => {
    const d = await findDistribution(ctx);
    if (!d?.Id) {
      await saveDistributionId(input.envId, null);
      return { done: true };
    }
    if (d.DistributionConfig?.Enabled) throw new Error(`Distribution ${d.Id} is still enabled: run disableDistribution first`);
    if (d.Status !== "Deployed") return { done: false };
    try {
      const current = await ctx.aws.cloudfront.send(new GetDistributionConfigCommand({ Id: d.Id }));
      await ctx.aws.cloudfront.send(new DeleteDistributionCommand({ Id: d.Id, IfMatch: current.ETag }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await saveDistributionId(input.envId, null);
    ctx.touch("cloudfront:distribution", d.Id, "deleted");
    return { done: true };
  },
);
