/**
 * CloudFront steps (skipped when the spec has cloudfront off):
 *   1. ensureDistribution       (needs ensureLoadBalancer.dnsName)  the ALB as an http-only
 *                               custom origin; no caching by default, cached static paths;
 *                               CallerReference = envId.
 *   2. waitDistributionDeployed (bounded poll; also used by teardown after disableDistribution)
 * Teardown: disableDistribution -> waitDistributionDeployed -> deleteDistribution.
 * The distribution is found again by its Comment, which carries the environment id.
 */
import {
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
  type DistributionSummary,
} from "../aws/sdk.ts";
import { isNotFound } from "../aws/errors.ts";
import { defineRead, defineStep, tagsOf, type Poll, type StepContext, type StepInput } from "./context.ts";

/** AWS managed policies (fixed ids, the same in every account). */
export const CACHE_POLICY = { cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6" };
export const ORIGIN_REQUEST_POLICY_ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
export const STATIC_PATHS = ["/static/*", "/assets/*", "/_next/static/*", "/favicon.ico"];
const ORIGIN_ID = "alb";

export const commentOf = (input: { envId: string; spec: { name: string } }) => `Switchyard ${input.spec.name} (${input.envId})`;

export async function findDistribution(ctx: StepContext, envId: string): Promise<DistributionSummary | undefined> {
  let Marker: string | undefined;
  do {
    const page = (await ctx.aws.cloudfront.send(new ListDistributionsCommand({ Marker, MaxItems: 100 }))).DistributionList;
    const hit = page?.Items?.find((d) => d.Comment?.endsWith(`(${envId})`));
    if (hit) return hit;
    Marker = page?.IsTruncated ? page.NextMarker : undefined;
  } while (Marker);
  return undefined;
}

function configOf(input: StepInput, albDnsName: string): DistributionConfig {
  const methods = { Quantity: 7, Items: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"] as const, CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] as const } };
  return {
    CallerReference: input.envId,
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
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only", OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: ORIGIN_ID,
      ViewerProtocolPolicy: "redirect-to-https",
      CachePolicyId: CACHE_POLICY.cachingDisabled,
      OriginRequestPolicyId: ORIGIN_REQUEST_POLICY_ALL_VIEWER,
      AllowedMethods: { ...methods, Items: [...methods.Items], CachedMethods: { ...methods.CachedMethods, Items: [...methods.CachedMethods.Items] } },
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

export const ensureDistribution = defineStep("create the CloudFront distribution", async (input: StepInput & { dnsName: string }, ctx): Promise<DistributionOutput> => {
  if (!input.spec.cloudfront) return { distributionId: null, domainName: null };
  const found = await findDistribution(ctx, input.envId);
  if (found?.Id) {
    ctx.touch("cloudfront:distribution", found.Id, "found");
    return { distributionId: found.Id, domainName: found.DomainName ?? null };
  }
  // A retried create with the same CallerReference and config returns the first distribution.
  const created = await ctx.aws.cloudfront.send(
    new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: configOf(input, input.dnsName), Tags: { Items: tagsOf(input) } } }),
  );
  const id = created.Distribution?.Id;
  if (!id) throw new Error("CreateDistribution returned no distribution");
  ctx.touch("cloudfront:distribution", id, "created");
  return { distributionId: id, domainName: created.Distribution?.DomainName ?? null };
});

export const waitDistributionDeployed = defineRead("wait for the CloudFront distribution", async (input: StepInput, ctx): Promise<Poll<{ status: string; enabled: boolean | null }>> => {
  const d = await findDistribution(ctx, input.envId);
  if (!d) return { done: true, detail: { status: "missing", enabled: null } };
  return { done: d.Status === "Deployed", detail: { status: d.Status ?? "unknown", enabled: d.Enabled ?? null } };
});

/** Teardown 1/2: a distribution must be disabled (and deployed) before it can be deleted. */
export const disableDistribution = defineStep("disable the CloudFront distribution", async (input: StepInput, ctx): Promise<{ distributionId: string | null }> => {
  const d = await findDistribution(ctx, input.envId);
  if (!d?.Id) return { distributionId: null };
  if (d.Enabled) {
    const current = await ctx.aws.cloudfront.send(new GetDistributionConfigCommand({ Id: d.Id }));
    await ctx.aws.cloudfront.send(new UpdateDistributionCommand({ Id: d.Id, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Enabled: false } }));
    ctx.touch("cloudfront:distribution", d.Id, "updated");
  } else ctx.touch("cloudfront:distribution", d.Id, "found");
  return { distributionId: d.Id };
});

/** Teardown 2/2: `done` is false while the disabled distribution is still deploying; call again later. */
export const deleteDistribution = defineStep("delete the CloudFront distribution", async (input: StepInput, ctx): Promise<{ done: boolean }> => {
  const d = await findDistribution(ctx, input.envId);
  if (!d?.Id) return { done: true };
  if (d.Enabled) throw new Error(`Distribution ${d.Id} is still enabled: run disableDistribution first`);
  if (d.Status !== "Deployed") return { done: false };
  try {
    const current = await ctx.aws.cloudfront.send(new GetDistributionConfigCommand({ Id: d.Id }));
    await ctx.aws.cloudfront.send(new DeleteDistributionCommand({ Id: d.Id, IfMatch: current.ETag }));
  } catch (err) {
    if (isNotFound(err)) return { done: true };
    throw err;
  }
  ctx.touch("cloudfront:distribution", d.Id, "deleted");
  return { done: true };
});
