/**
 * fleetMetrics: per slot and per minute, requests, target 5xx and p95 latency of each fleet's
 * target group, in ONE GetMetricData call (paged only past its limits). Counts are FILLed with
 * 0 by CloudWatch (ALB publishes them only when non-zero); p95 is null in minutes without
 * requests. The window is taken on the service's clock (`serverNow`), not the local one.
 */
import { freshServerNow } from "../aws/clients.ts";
import type { MetricDataQuery } from "../aws/sdk.ts";
import { lbDimension, tgDimension } from "./alarms.ts";
import { defineRead, type Slot, type StepInput } from "./context.ts";
import { metricData } from "../aws/cloudwatch.ts";

export interface FleetMinute {
  /** Start of the minute, ISO-8601. */
  timestamp: string;
  requests: number;
  errors5xx: number;
  p95LatencyMs: number | null;
}

export interface FleetMetricsInput extends StepInput {
  stack: { loadBalancer: { arn: string } | null; targetGroups: Record<Slot, { arn: string } | null> };
  slots: Slot[];
  /** ISO-8601 or epoch ms; default endTime - 15 minutes. */
  startTime?: string | number;
  /** ISO-8601 or epoch ms; default the service's "now". */
  endTime?: string | number;
}

export interface FleetMetrics {
  startTime: string;
  endTime: string;
  periodSeconds: number;
  slots: Partial<Record<Slot, FleetMinute[]>>;
}

const MINUTE = 60_000;
const toMs = (t: string | number) => (typeof t === "number" ? t : Date.parse(t));

/** The service's "now" (ISO-8601), the clock CloudWatch windows use: e.g. when a canary bake starts. */
export const serverClock = defineRead(
  "read the service's clock",
  async (_input: StepInput, { aws }): Promise<{ now: string }> => ({ now: new Date(await freshServerNow(aws)).toISOString() }),
);

export const fleetMetrics = defineRead("read the fleets' metrics", async (input: FleetMetricsInput, { aws }): Promise<FleetMetrics> => {
  const end = Math.floor((input.endTime !== undefined ? toMs(input.endTime) : await freshServerNow(aws)) / MINUTE) * MINUTE;
  const start = Math.floor((input.startTime !== undefined ? toMs(input.startTime) : end - 15 * MINUTE) / MINUTE) * MINUTE;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end)
    throw new Error(`Invalid metrics window ${String(input.startTime)} .. ${String(input.endTime)}`);
  const minutes: number[] = [];
  for (let t = start; t < end; t += MINUTE) minutes.push(t);

  const lb = input.stack.loadBalancer;
  const slots = input.slots.filter((s) => lb && input.stack.targetGroups[s]);
  const queries: MetricDataQuery[] = [];
  for (const slot of slots) {
    const Dimensions = [
      { Name: "TargetGroup", Value: tgDimension(input.stack.targetGroups[slot]!.arn) },
      { Name: "LoadBalancer", Value: lbDimension(lb!.arn) },
    ];
    const stat = (Id: string, MetricName: string, Stat: string, ReturnData: boolean): MetricDataQuery => ({
      Id,
      MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName, Dimensions }, Period: 60, Stat },
      ReturnData,
    });
    queries.push(
      stat(`req_${slot}`, "RequestCount", "Sum", false),
      stat(`err_${slot}`, "HTTPCode_Target_5XX_Count", "Sum", false),
      stat(`p95_${slot}`, "TargetResponseTime", "p95", true),
      { Id: `requests_${slot}`, Expression: `FILL(req_${slot}, 0)`, ReturnData: true },
      { Id: `errors_${slot}`, Expression: `FILL(err_${slot}, 0)`, ReturnData: true },
    );
  }
  const { byId: series } = await metricData(aws.cloudwatch, queries, { start, end });
  const out: FleetMetrics = {
    startTime: new Date(start).toISOString(),
    endTime: new Date(end).toISOString(),
    periodSeconds: 60,
    slots: {},
  };
  for (const slot of slots) {
    const at = (id: string, t: number) => series.get(`${id}_${slot}`)?.get(t);
    out.slots[slot] = minutes.map((t) => {
      const p95 = at("p95", t);
      return {
        timestamp: new Date(t).toISOString(),
        requests: at("requests", t) ?? 0,
        errors5xx: at("errors", t) ?? 0,
        p95LatencyMs: p95 === undefined ? null : Math.round(p95 * 1000 * 10) / 10,
      };
    });
  }
  return out;
});
