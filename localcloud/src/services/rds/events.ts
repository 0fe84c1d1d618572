/** RDS events: recorded by the lifecycle, read by DescribeEvents (default window: the past hour). */
import { appendEvent, type DescribeEventsQuery } from "../../core/event-log.ts";
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { rdsState, type DbInstanceRecord } from "./state.ts";
import { invalidParameterCombination, invalidParameterValue, rdsPages } from "./errors.ts";
import { pageOf } from "../../core/paging.ts";

const SOURCE_TYPES = new Set([
  "db-instance",
  "db-parameter-group",
  "db-security-group",
  "db-snapshot",
  "db-cluster",
  "db-cluster-snapshot",
  "custom-engine-version",
  "db-proxy",
  "blue-green-deployment",
]);

/** AWS's wording for the db-instance events we emit, with their categories. */
export const EVENTS = {
  created: { message: "DB instance created", categories: ["creation"] },
  backupStarted: { message: "Backing up DB instance", categories: ["backup"] },
  backupFinished: { message: "Finished DB Instance backup", categories: ["backup"] },
  shutdown: { message: "DB instance shutdown", categories: ["availability"] },
  restarted: { message: "DB instance restarted", categories: ["availability"] },
  failoverStarted: { message: "Multi-AZ instance failover started.", categories: ["failover"] },
  failoverCompleted: { message: "Multi-AZ instance failover completed.", categories: ["failover"] },
  multiAzActivationStarted: { message: "Multi-AZ instance activation started.", categories: ["configuration change"] },
  multiAzActivationCompleted: { message: "Multi-AZ instance activation completed.", categories: ["configuration change"] },
  classChangeStarted: { message: "Applying modification to database instance class", categories: ["configuration change"] },
  classChangeFinished: { message: "Finished applying modification to DB instance class", categories: ["configuration change"] },
  storageChangeStarted: { message: "Applying modification to allocated storage", categories: ["configuration change"] },
  storageChangeFinished: { message: "Finished applying modification to allocated storage", categories: ["configuration change"] },
  finalSnapshot: { message: "Creating final DB snapshot", categories: ["backup"] },
  deleted: { message: "DB instance deleted", categories: ["deletion"] },
} as const;

export type EventKind = keyof typeof EVENTS;

export function recordInstanceEvent(cloud: CloudApi, db: DbInstanceRecord, kind: EventKind, at = cloud.now()) {
  const s = rdsState(cloud);
  const e = EVENTS[kind];
  s.events = appendEvent(cloud, s.events, {
    region: db.region,
    sourceIdentifier: db.id,
    sourceType: "db-instance",
    sourceArn: db.arn,
    message: e.message,
    categories: [...e.categories],
    date: at,
  });
}

interface DescribeEventsInput extends DescribeEventsQuery {
  EventCategories?: string[];
}

export function describeEvents(input: DescribeEventsInput, ctx: RequestContext) {
  const s = rdsState(ctx.cloud);
  if (input.SourceType && !SOURCE_TYPES.has(input.SourceType)) throw invalidParameterValue(`Invalid source type: ${input.SourceType}`);
  if (input.SourceIdentifier && !input.SourceType)
    throw invalidParameterCombination("Cannot specify source identifier without specifying source type");
  const now = ctx.cloud.now();
  const end = input.EndTime ? input.EndTime.getTime() : now;
  let start: number;
  if (input.StartTime) start = input.StartTime.getTime();
  else if (input.Duration !== undefined) {
    if (!Number.isInteger(input.Duration) || input.Duration < 0) throw invalidParameterValue(`Invalid duration: ${input.Duration}`);
    start = end - input.Duration * 60_000;
  } else start = end - 3600_000;
  if (start > end) throw invalidParameterValue("The start time must be before the end time");
  const categories = input.EventCategories?.length ? new Set(input.EventCategories) : undefined;
  const id = input.SourceIdentifier?.toLowerCase();
  const matching = s.events.filter(
    (e) =>
      e.region === ctx.region &&
      e.date >= start &&
      e.date <= end &&
      (!input.SourceType || e.sourceType === input.SourceType) &&
      (!id || e.sourceIdentifier === id) &&
      (!categories || e.categories.some((c) => categories.has(c))),
  );
  const { items, next: marker } = pageOf(matching, input.Marker, input.MaxRecords, rdsPages("DescribeEvents"));
  return {
    Events: items.map((e) => ({
      SourceIdentifier: e.sourceIdentifier,
      SourceType: e.sourceType,
      Message: e.message,
      EventCategories: e.categories,
      Date: new Date(e.date),
      SourceArn: e.sourceArn,
    })),
    Marker: marker,
  };
}
