/**
 * AWS/CloudFront metrics from the distributions' traffic records: Requests, BytesDownloaded,
 * BytesUploaded and the 4xx / 5xx / total error rates per distribution (us-east-1,
 * Region=Global, as CloudFront publishes them), only for slices with requests.
 *
 * Records are aggregated per SLICE (a third of a minute) so CloudWatch can receive a minute in
 * parts (metric-delay.ts). A rate is published as one value weighted by the slice's requests
 * (Values=[rate], Counts=[requests]), so the minute's Average is the minute's true rate however
 * many parts it arrived in.
 */
import type { TrafficRecord } from "../dataplane/traffic.ts";
import type { DistributionTraffic } from "../services/cloudfront/metrics.ts";
import { minuteOf, type Datum } from "./minutes.ts";
import { sliceOf } from "./metric-delay.ts";

/** CloudFront's metrics live in us-east-1 whatever region the distribution's callers use. */
export const CLOUDFRONT_METRICS_REGION = "us-east-1";

export class CloudFrontMetrics {
  private slices = new Map<number, Map<string, DistributionTraffic>>();

  add(r: TrafficRecord): void {
    if (r.kind !== "cloudfront" || !r.distributionId) return;
    const slice = sliceOf(r.at);
    let m = this.slices.get(slice);
    if (!m) this.slices.set(slice, (m = new Map()));
    const t = m.get(r.distributionId) ?? { requests: 0, bytesDownloaded: 0, responses4xx: 0, responses5xx: 0 };
    t.requests++;
    t.bytesDownloaded += r.bytesOut;
    if (r.status >= 400 && r.status < 500) t.responses4xx++;
    if (r.status >= 500) t.responses5xx++;
    m.set(r.distributionId, t);
  }

  /** The slice's datapoints (all in us-east-1), stamped at its minute. */
  flush(slice: number): Map<string, Datum[]> {
    const m = this.slices.get(slice);
    this.slices.delete(slice);
    const Timestamp = minuteOf(slice);
    const data: Datum[] = [];
    for (const [id, t] of m ?? []) {
      if (t.requests <= 0) continue;
      const Dimensions = [
        { Name: "DistributionId", Value: id },
        { Name: "Region", Value: "Global" },
      ];
      const rate = (n: number): Pick<Datum, "Values" | "Counts"> => ({ Values: [(100 * n) / t.requests], Counts: [t.requests] });
      data.push(
        { MetricName: "Requests", Dimensions, Timestamp, Unit: "None", Value: t.requests },
        { MetricName: "BytesDownloaded", Dimensions, Timestamp, Unit: "None", Value: t.bytesDownloaded },
        { MetricName: "BytesUploaded", Dimensions, Timestamp, Unit: "None", Value: t.bytesUploaded ?? 0 },
        { MetricName: "4xxErrorRate", Dimensions, Timestamp, Unit: "Percent", ...rate(t.responses4xx) },
        { MetricName: "5xxErrorRate", Dimensions, Timestamp, Unit: "Percent", ...rate(t.responses5xx) },
        { MetricName: "TotalErrorRate", Dimensions, Timestamp, Unit: "Percent", ...rate(t.responses4xx + t.responses5xx) },
      );
    }
    return new Map(data.length ? [[CLOUDFRONT_METRICS_REGION, data]] : []);
  }

  pendingSlices(): number[] {
    return [...this.slices.keys()].sort((a, b) => a - b);
  }

  clear(): void {
    this.slices.clear();
  }
}
