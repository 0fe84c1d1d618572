/**
 * CloudFront state (global: one set of distributions per account, whatever the caller's region).
 * Times are simulated ms.
 */
import type { CloudApi, ModelDocument } from "../../core/types.ts";
import { randomLowerAlnum, randomUpperAlnum } from "../../core/ids.ts";

export type DistributionStatus = "InProgress" | "Deployed";

export interface StoredDistribution {
  id: string;
  arn: string;
  domainName: string;
  /** The DistributionConfig with AWS's defaults filled in (model member names). */
  config: ModelDocument;
  etag: string;
  status: DistributionStatus;
  createdAt: number;
  lastModifiedAt: number;
  /** When an InProgress change finishes deploying. */
  deployAt?: number;
  tags: Array<{ Key: string; Value: string }>;
  /** configFingerprint() of the creating request, for CallerReference idempotency (absent in older state). */
  createFingerprint?: string;
  /** The data plane's local port for this distribution, kept so its URL survives a restart (not part of the API). */
  localPort?: number;
}

export interface StoredInvalidation {
  id: string;
  distributionId: string;
  status: "InProgress" | "Completed";
  createdAt: number;
  completeAt?: number;
  batch: { Paths: { Quantity: number; Items?: string[] }; CallerReference: string };
}

export interface CloudFrontState {
  distributions: Record<string, StoredDistribution>;
  /** Newest last, per distribution id. */
  invalidations: Record<string, StoredInvalidation[]>;
  /** Earliest pending deploy/completion, so tick is a comparison when nothing is due. */
  nextDueAt: number | null;
}

/** Deploying a distribution change takes 3 to 5 simulated minutes, as on AWS. */
export const DEPLOY_MIN_MS = 180_000;
export const DEPLOY_MAX_MS = 300_000;
/** Invalidations complete in one to two simulated minutes. */
export const INVALIDATION_MIN_MS = 60_000;
export const INVALIDATION_MAX_MS = 120_000;

export function initialState(): CloudFrontState {
  return { distributions: {}, invalidations: {}, nextDueAt: null };
}

export function cfState(cloud: CloudApi): CloudFrontState {
  const s = cloud.state<CloudFrontState>("cloudfront");
  s.distributions ??= {};
  s.invalidations ??= {};
  if (s.nextDueAt === undefined) s.nextDueAt = null;
  return s;
}

export function schedule(state: CloudFrontState, at: number): void {
  if (state.nextDueAt === null || at < state.nextDueAt) state.nextDueAt = at;
}

export function randomBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min));
}

export const newDistributionId = () => `E${randomUpperAlnum(13)}`;
export const newDomainName = () => `d${randomLowerAlnum(13)}.cloudfront.net`;
export const newETag = () => `E${randomUpperAlnum(13)}`;
export const newInvalidationId = () => `I${randomUpperAlnum(25)}`;
export const distributionArn = (accountId: string, id: string) => `arn:aws:cloudfront::${accountId}:distribution/${id}`;
export const distributionLocation = (id: string) => `https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}`;
