/**
 * How late CloudWatch receives the metrics AWS services publish, shared by the publisher (the
 * simulation's delay queue, sim/metric-delay.ts) and the alarms that read them.
 *
 * Load balancer and CloudFront datapoints arrive 1-3 minutes after their minute ends and are
 * partial for a while (the minute arrives in slices). An alarm that looked at the newest periods
 * would treat them as missing, or judge a partial Sum; with notBreaching and N of N it would
 * never fire, which AWS's alarms on these metrics plainly do. So an alarm on a delayed
 * namespace evaluates the periods whose data is complete: it fires as late as the data arrives.
 */
export const MIN_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 180_000;
/** Each minute arrives in slices of this length; the last one is released 40 s after the first. */
export const SLICE_MS = 20_000;
/** From the end of a minute until its datapoint is final, at most. */
export const FINAL_AFTER_MINUTE_END_MS = MAX_DELAY_MS + 60_000 - SLICE_MS;

/** Namespaces whose datapoints arrive late (the simulation publishes them through its delay queue). */
export const DELAYED_NAMESPACES: ReadonlySet<string> = new Set(["AWS/ApplicationELB", "AWS/CloudFront"]);

interface AlarmMetrics {
  Namespace?: string;
  Metrics?: Array<{ MetricStat?: { Metric?: { Namespace?: string } } }>;
}

/** How far back an alarm's evaluation range ends so that every period in it is complete (0: no delay). */
export function ingestionLagMs(config: AlarmMetrics): number {
  const namespaces = config.Metrics?.length ? config.Metrics.map((m) => m.MetricStat?.Metric?.Namespace) : [config.Namespace];
  return namespaces.some((ns) => ns !== undefined && DELAYED_NAMESPACES.has(ns)) ? FINAL_AFTER_MINUTE_END_MS : 0;
}
