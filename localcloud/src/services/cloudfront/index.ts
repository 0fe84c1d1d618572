/**
 * CloudFront (restXml, global): distributions with ETag/If-Match concurrency and a deploy
 * lifecycle, invalidations, tags.
 *
 * For other services: recordDistributionTraffic(cloud, distributionId, traffic) publishes the
 * AWS/CloudFront metrics (us-east-1, Region=Global).
 */
import type { CloudApi, ServiceModule, ModelDocument } from "../../core/types.ts";
import {
  createDistribution,
  createDistributionWithTags,
  deleteDistribution,
  getDistribution,
  getDistributionConfig,
  listDistributions,
  updateDistribution,
} from "./distributions.ts";
import { createInvalidation, getInvalidation, listInvalidations } from "./invalidations.ts";
import { tick } from "./lifecycle.ts";
import { cloudFrontUrl } from "../../dataplane/index.ts";
import { cfState, initialState, type CloudFrontState } from "./state.ts";
import { listTagsForResource, tagResource, untagResource } from "./tags.ts";

export { recordDistributionTraffic, type DistributionTraffic } from "./metrics.ts";

/** For GET /_localcloud/endpoints: what a data plane needs to serve each distribution. */
function endpoints(cloud: CloudApi) {
  const distributions = Object.values(cfState(cloud).distributions).map((d) => ({
    id: d.id,
    /** The data plane's local port for this distribution (null while disabled or not yet listening). */
    url: cloudFrontUrl(cloud, d.id),
    arn: d.arn,
    domainName: d.domainName,
    status: d.status,
    enabled: d.config.Enabled,
    aliases: d.config.Aliases.Items ?? [],
    defaultTargetOriginId: d.config.DefaultCacheBehavior.TargetOriginId,
    origins: (d.config.Origins.Items ?? []).map((o: ModelDocument) => ({
      id: o.Id,
      domainName: o.DomainName,
      originPath: o.OriginPath,
      protocolPolicy: o.CustomOriginConfig?.OriginProtocolPolicy,
      httpPort: o.CustomOriginConfig?.HTTPPort,
      httpsPort: o.CustomOriginConfig?.HTTPSPort,
    })),
  }));
  return { distributions };
}

const service: ServiceModule<CloudFrontState> = {
  name: "cloudfront",
  initialState,
  handlers: {
    CreateDistribution: createDistribution,
    CreateDistributionWithTags: createDistributionWithTags,
    GetDistribution: getDistribution,
    GetDistributionConfig: getDistributionConfig,
    UpdateDistribution: updateDistribution,
    DeleteDistribution: deleteDistribution,
    ListDistributions: listDistributions,
    CreateInvalidation: createInvalidation,
    GetInvalidation: getInvalidation,
    ListInvalidations: listInvalidations,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
  },
  tick,
  endpoints,
};

export default service;
