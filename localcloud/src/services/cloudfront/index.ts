/**
 * CloudFront (restXml, global): distributions with ETag/If-Match concurrency and a deploy
 * lifecycle, invalidations, tags.
 *
 * For other services: recordDistributionTraffic(cloud, distributionId, traffic) publishes the
 * AWS/CloudFront metrics (us-east-1, Region=Global).
 */
import type { ServiceModule } from "../../core/types.ts";
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
import { initialState, type CloudFrontState } from "./state.ts";
import { listTagsForResource, tagResource, untagResource } from "./tags.ts";

export { recordDistributionTraffic, type DistributionTraffic } from "./metrics.ts";

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
};

export default service;
