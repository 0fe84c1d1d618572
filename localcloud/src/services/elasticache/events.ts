/** ElastiCache events: recorded by the lifecycle, read by DescribeEvents (default window: the past hour, at most 14 days). */
import { appendEvent, type DescribeEventsQuery } from "../../core/event-log.ts";
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { invalidParameterCombination, invalidParameterValue, pageRecords } from "./errors.ts";
import { type CacheEventRecord, elastiCacheState } from "./state.ts";

const SOURCE_TYPES = new Set([
  "cache-cluster",
  "cache-parameter-group",
  "cache-security-group",
  "cache-subnet-group",
  "replication-group",
  "serverless-cache",
  "serverless-cache-snapshot",
  "user",
  "user-group",
]);

export function recordEvent(
  cloud: CloudApi,
  region: string,
  sourceType: CacheEventRecord["sourceType"],
  sourceIdentifier: string,
  message: string,
  at = cloud.now(),
) {
  const s = elastiCacheState(cloud);
  s.events = appendEvent(cloud, s.events, { region, sourceType, sourceIdentifier, message, date: at });
}

export function describeEvents(input: DescribeEventsQuery, ctx: RequestContext) {
  if (input.SourceType && !SOURCE_TYPES.has(input.SourceType))
    throw invalidParameterValue(`Invalid value for SourceType: ${input.SourceType}`);
  if (input.SourceIdentifier && !input.SourceType)
    throw invalidParameterCombination("Cannot specify source identifier without specifying source type.");
  const end = input.EndTime ? input.EndTime.getTime() : ctx.cloud.now();
  let start = end - 3600_000;
  if (input.StartTime) start = input.StartTime.getTime();
  else if (input.Duration !== undefined) {
    if (!Number.isInteger(input.Duration) || input.Duration < 0 || input.Duration > 20160)
      throw invalidParameterValue(`Invalid value for Duration: ${input.Duration}. It must be between 0 and 20160 minutes.`);
    start = end - input.Duration * 60_000;
  }
  if (start > end) throw invalidParameterValue("The start time must be before the end time.");
  const id = input.SourceIdentifier?.toLowerCase();
  // Newest first, as AWS lists them.
  const matching = elastiCacheState(ctx.cloud)
    .events.filter(
      (e) =>
        e.region === ctx.region &&
        e.date >= start &&
        e.date <= end &&
        (!input.SourceType || e.sourceType === input.SourceType) &&
        (!id || e.sourceIdentifier === id),
    )
    .reverse();
  const { items, marker } = pageRecords(matching, input.Marker, input.MaxRecords, "DescribeEvents");
  return {
    Events: items.map((e) => ({
      SourceIdentifier: e.sourceIdentifier,
      SourceType: e.sourceType,
      Message: e.message,
      Date: new Date(e.date),
    })),
    Marker: marker,
  };
}
