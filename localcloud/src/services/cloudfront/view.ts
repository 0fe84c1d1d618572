/** The Distribution and DistributionSummary shapes (model member names). */
import { cfState, type StoredDistribution } from "./state.ts";
import type { CloudApi } from "../../core/types.ts";

export function inProgressInvalidations(cloud: CloudApi, id: string): number {
  return (cfState(cloud).invalidations[id] ?? []).filter((i) => i.status === "InProgress").length;
}

export function toDistribution(cloud: CloudApi, d: StoredDistribution): Record<string, unknown> {
  return {
    Id: d.id,
    ARN: d.arn,
    Status: d.status,
    LastModifiedTime: new Date(d.lastModifiedAt),
    InProgressInvalidationBatches: inProgressInvalidations(cloud, d.id),
    DomainName: d.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: d.config,
  };
}

export function toSummary(d: StoredDistribution): Record<string, unknown> {
  const c = d.config;
  return {
    Id: d.id,
    ARN: d.arn,
    Status: d.status,
    LastModifiedTime: new Date(d.lastModifiedAt),
    DomainName: d.domainName,
    Aliases: c.Aliases,
    Origins: c.Origins,
    OriginGroups: c.OriginGroups,
    DefaultCacheBehavior: c.DefaultCacheBehavior,
    CacheBehaviors: c.CacheBehaviors,
    CustomErrorResponses: c.CustomErrorResponses,
    Comment: c.Comment,
    PriceClass: c.PriceClass,
    Enabled: c.Enabled,
    ViewerCertificate: c.ViewerCertificate,
    Restrictions: c.Restrictions,
    WebACLId: c.WebACLId,
    HttpVersion: c.HttpVersion,
    IsIPV6Enabled: c.IsIPV6Enabled,
    Staging: c.Staging,
  };
}
