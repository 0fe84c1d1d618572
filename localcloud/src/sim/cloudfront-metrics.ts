/**
 * AWS/CloudFront metrics from the distributions' traffic records, per simulated minute:
 * Requests, BytesDownloaded and the 4xx / 5xx / total error rates, published through
 * CloudFront's recordDistributionTraffic (us-east-1, Region=Global), only for minutes with
 * requests, as CloudFront does.
 */
import type { TrafficRecord } from "../dataplane/traffic.ts";
import type { CloudApi } from "../core/types.ts";
import { recordDistributionTraffic, type DistributionTraffic } from "../services/cloudfront/metrics.ts";
import { minuteOf } from "./minutes.ts";

export class CloudFrontMetrics {
  private minutes = new Map<number, Map<string, DistributionTraffic>>();

  add(r: TrafficRecord): void {
    if (r.kind !== "cloudfront" || !r.distributionId) return;
    const minute = minuteOf(r.at);
    let m = this.minutes.get(minute);
    if (!m) this.minutes.set(minute, (m = new Map()));
    const t = m.get(r.distributionId) ?? { requests: 0, bytesDownloaded: 0, responses4xx: 0, responses5xx: 0 };
    t.requests++;
    t.bytesDownloaded += r.bytesOut;
    if (r.status >= 400 && r.status < 500) t.responses4xx++;
    if (r.status >= 500) t.responses5xx++;
    m.set(r.distributionId, t);
  }

  flush(cloud: CloudApi, minute: number): void {
    const m = this.minutes.get(minute);
    this.minutes.delete(minute);
    for (const [id, traffic] of m ?? []) if (traffic.requests > 0) recordDistributionTraffic(cloud, id, traffic, minute);
  }

  pendingMinutes(): number[] {
    return [...this.minutes.keys()].sort((a, b) => a - b);
  }

  clear(): void {
    this.minutes.clear();
  }
}
