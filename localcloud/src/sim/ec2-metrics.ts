/**
 * AWS/EC2 metrics derived from load, per simulated minute, for every running instance:
 *   CPUUtilization = baseline (~2 %) + cpu_per_rps x (requests served per SIMULATED second),
 *                    capped at 100, with a small deterministic wobble;
 *   NetworkIn / NetworkOut from the requests' sizes; StatusCheckFailed 0 while running.
 * Published per InstanceId and, for Auto Scaling members, per AutoScalingGroupName (the
 * group's CPU is the distribution of its instances' values, so Average is the fleet mean;
 * instances still warming up are left out of it, as AWS does for the metrics scaling uses).
 * cpu_per_rps comes from the instance's user data (`# localcloud: cpu_per_rps=0.8`).
 */
import type { TrafficRecord } from "../dataplane/traffic.ts";
import { parseBehaviour } from "../dataplane/directives.ts";
import type { CloudApi } from "../core/types.ts";
import { instanceUserData } from "../services/ec2/api.ts";
import { ec2State, type InstanceRecord } from "../services/ec2/state.ts";
import { warmingInstanceIds } from "../services/autoscaling/warmup.ts";
import { addTo, minuteOf, MINUTE_MS, noise, valuesAndCounts, type Datum } from "./minutes.ts";

const BASELINE_CPU = 2;
/** Bytes of an average request line plus headers, for NetworkIn. */
const REQUEST_BYTES = 450;
/** Response headers on top of the body, for NetworkOut. */
const RESPONSE_HEADER_BYTES = 200;

interface InstanceMinute {
  requests: number;
  bytesOut: number;
}

export class Ec2Metrics {
  /** minute -> instance id -> served load. */
  private minutes = new Map<number, Map<string, InstanceMinute>>();
  private cpuPerRps = new Map<string, number>();

  constructor(private readonly cloud: CloudApi) {}

  add(r: TrafficRecord): void {
    if (r.source !== "target" || !r.targetId) return;
    const minute = minuteOf(r.at);
    let m = this.minutes.get(minute);
    if (!m) this.minutes.set(minute, (m = new Map()));
    const load = m.get(r.targetId) ?? { requests: 0, bytesOut: 0 };
    load.requests++;
    load.bytesOut += r.bytesOut;
    m.set(r.targetId, load);
  }

  private costPerRps(instance: InstanceRecord): number {
    let cost = this.cpuPerRps.get(instance.InstanceId);
    if (cost === undefined) {
      cost = parseBehaviour(instanceUserData(instance)).cpuPerRps;
      this.cpuPerRps.set(instance.InstanceId, cost);
    }
    return cost;
  }

  /** CPU percent of an instance that served `requests` in one simulated minute. */
  cpuFor(instance: InstanceRecord, requests: number, minute: number): number {
    const rps = requests / 60;
    const wobble = noise(instance.InstanceId, minute) * (1 + rps * 0.05);
    return Math.round(Math.min(100, Math.max(0, BASELINE_CPU + this.costPerRps(instance) * rps + wobble)) * 100) / 100;
  }

  flush(minute: number): Map<string, Datum[]> {
    const served = this.minutes.get(minute) ?? new Map<string, InstanceMinute>();
    // This minute and any older one (late records of a minute already published) are done.
    for (const m of this.minutes.keys()) if (m <= minute) this.minutes.delete(m);
    const out = new Map<string, Datum[]>();
    const groups = new Map<string, { region: string; cpu: Map<number, number>; netIn: number; netOut: number }>();
    const warming = new Map<string, Set<string>>();
    for (const instance of Object.values(ec2State(this.cloud).instances)) {
      // Running at some point of the minute: running now, or it stopped being running after the minute started.
      const ran = instance.State === "running" ? (instance.RunningSince ?? instance.LaunchTime) < minute + MINUTE_MS : false;
      if (!ran) continue;
      const load = served.get(instance.InstanceId) ?? { requests: 0, bytesOut: 0 };
      const cpu = this.cpuFor(instance, load.requests, minute);
      const netIn = load.requests * REQUEST_BYTES;
      const netOut = load.bytesOut + load.requests * RESPONSE_HEADER_BYTES;
      const list = out.get(instance.region) ?? [];
      const byInstance = [{ Name: "InstanceId", Value: instance.InstanceId }];
      list.push(
        { MetricName: "CPUUtilization", Dimensions: byInstance, Timestamp: minute, Unit: "Percent", Value: cpu },
        { MetricName: "NetworkIn", Dimensions: byInstance, Timestamp: minute, Unit: "Bytes", Value: netIn },
        { MetricName: "NetworkOut", Dimensions: byInstance, Timestamp: minute, Unit: "Bytes", Value: netOut },
        { MetricName: "StatusCheckFailed", Dimensions: byInstance, Timestamp: minute, Unit: "Count", Value: 0 },
      );
      out.set(instance.region, list);
      const groupName = instance.Tags?.find((t) => t.Key === "aws:autoscaling:groupName")?.Value;
      if (groupName) {
        const key = `${instance.region}/${groupName}`;
        const g = groups.get(key) ?? { region: instance.region, cpu: new Map(), netIn: 0, netOut: 0 };
        if (!warming.has(key)) warming.set(key, warmingInstanceIds(this.cloud, instance.region, groupName, minute + MINUTE_MS));
        if (!warming.get(key)!.has(instance.InstanceId)) addTo(g.cpu, cpu);
        g.netIn += netIn;
        g.netOut += netOut;
        groups.set(key, g);
      }
    }
    for (const [key, g] of groups) {
      const Dimensions = [{ Name: "AutoScalingGroupName", Value: key.slice(key.indexOf("/") + 1) }];
      if (g.cpu.size) out.get(g.region)!.push({ MetricName: "CPUUtilization", Dimensions, Timestamp: minute, Unit: "Percent", ...valuesAndCounts(g.cpu) });
      out.get(g.region)!.push(
        { MetricName: "NetworkIn", Dimensions, Timestamp: minute, Unit: "Bytes", Value: g.netIn },
        { MetricName: "NetworkOut", Dimensions, Timestamp: minute, Unit: "Bytes", Value: g.netOut },
        { MetricName: "StatusCheckFailed", Dimensions, Timestamp: minute, Unit: "Count", Value: 0 },
      );
    }
    return out;
  }

  clear(): void {
    this.minutes.clear();
    this.cpuPerRps.clear();
  }
}
