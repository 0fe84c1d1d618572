/**
 * CloudFront's CloudWatch metrics: published in us-east-1 with dimensions DistributionId and
 * Region=Global, whatever region the caller uses. The traffic simulation calls this once per
 * simulated minute per distribution.
 */
import type { CloudApi } from "../../core/types.ts";
import { recordMetricData } from "../cloudwatch/index.ts";

export interface DistributionTraffic {
  requests: number;
  bytesDownloaded: number;
  bytesUploaded?: number;
  /** Responses with 4xx / 5xx status codes among `requests`. */
  responses4xx: number;
  responses5xx: number;
}

export function recordDistributionTraffic(cloud: CloudApi, distributionId: string, traffic: DistributionTraffic, atMs = cloud.now()): void {
  const Dimensions = [
    { Name: "DistributionId", Value: distributionId },
    { Name: "Region", Value: "Global" },
  ];
  const Timestamp = atMs;
  const rate = (n: number) => (traffic.requests > 0 ? (100 * n) / traffic.requests : 0);
  const data = [
    { MetricName: "Requests", Value: traffic.requests, Unit: "None" },
    { MetricName: "BytesDownloaded", Value: traffic.bytesDownloaded, Unit: "None" },
    { MetricName: "BytesUploaded", Value: traffic.bytesUploaded ?? 0, Unit: "None" },
    { MetricName: "4xxErrorRate", Value: rate(traffic.responses4xx), Unit: "Percent" },
    { MetricName: "5xxErrorRate", Value: rate(traffic.responses5xx), Unit: "Percent" },
    { MetricName: "TotalErrorRate", Value: rate(traffic.responses4xx + traffic.responses5xx), Unit: "Percent" },
  ];
  recordMetricData(
    cloud,
    "us-east-1",
    "AWS/CloudFront",
    data.map((d) => ({ ...d, Dimensions, Timestamp })),
  );
}
