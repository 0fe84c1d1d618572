/** The event logs of RDS and ElastiCache: DescribeEvents reads them, and AWS keeps 14 days. */
import type { CloudApi } from "./types.ts";

/** The DescribeEvents parameters RDS and ElastiCache share (RDS adds EventCategories). */
export interface DescribeEventsQuery {
  SourceIdentifier?: string;
  SourceType?: string;
  StartTime?: Date;
  EndTime?: Date;
  Duration?: number;
  MaxRecords?: number;
  Marker?: string;
}

export const EVENT_RETENTION_MS = 14 * 24 * 3600 * 1000;

/** Appends `event` to a log kept in time order and returns the log without events past retention. */
export function appendEvent<E extends { date: number }>(cloud: CloudApi, events: E[], event: E): E[] {
  events.push(event);
  const cutoff = cloud.now() - EVENT_RETENTION_MS;
  const kept = events.length > 0 && events[0].date < cutoff ? events.filter((e) => e.date >= cutoff) : events;
  cloud.markDirty();
  return kept;
}
