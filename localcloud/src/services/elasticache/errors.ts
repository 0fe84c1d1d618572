/** The ElastiCache error codes we raise (the model's awsQueryError codes; statuses come from the model). */
import { pageOf } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError } from "../../core/types.ts";

export const invalidParameterValue = (message: string) => new AwsError("InvalidParameterValue", message);
export const invalidParameterCombination = (message: string) => new AwsError("InvalidParameterCombination", message);
export const replicationGroupNotFound = (id: string) => new AwsError("ReplicationGroupNotFoundFault", `ReplicationGroup ${id} not found.`);
export const cacheClusterNotFound = (id: string) => new AwsError("CacheClusterNotFound", `CacheCluster ${id} not found.`);
export const cacheSubnetGroupNotFound = (name: string) =>
  new AwsError("CacheSubnetGroupNotFoundFault", `CacheSubnetGroup ${name} not found.`);
export const invalidReplicationGroupState = (message: string) => new AwsError("InvalidReplicationGroupState", message);

/** ElastiCache's tag limits (50 per resource, no "aws:" keys) with its error codes. */
export const cacheTagRules: TagRules = {
  invalid: (message) => invalidParameterValue(message),
  tooMany: (max) => new AwsError("TagQuotaPerResourceExceeded", `Cannot have more than ${max} tags per resource.`),
};

/** Marker/MaxRecords as ElastiCache pages: MaxRecords 20-100 (default 100). */
export function pageRecords<T>(items: T[], marker: string | undefined, maxRecords: number | undefined, scope: string) {
  const page = pageOf(items, marker, maxRecords, {
    scope,
    min: 20,
    max: 100,
    fallback: 100,
    badSize: (size) => invalidParameterValue(`Invalid value ${size} for MaxRecords. It must be between 20 and 100.`),
    badToken: () => invalidParameterValue("The marker is not valid."),
  });
  return { items: page.items, marker: page.next };
}
