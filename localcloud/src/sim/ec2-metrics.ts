/**
 * AWS/EC2 metrics derived from load, per simulated minute, for every running instance:
 *   CPUUtilization = baseline (~2 %) + cpu_per_rps x (requests served per SIMULATED second),
 *                    capped at 100, with a small deterministic wobble;
 *   NetworkIn / NetworkOut from the requests' sizes; StatusCheckFailed 0 while running.
 * Published per InstanceId and, for Auto Scaling members, per AutoScalingGroupName (the
 * group's CPU is the distribution of its instances' values, so Average is the fleet mean;
 * instances still warming up are left out of it, as AWS does for the metrics scaling uses).
 * cpu_per_rps comes from the instance's user data (`# localcloud: cpu_per_rps=0.8`).
 *
 * Cadence, as EC2 monitoring: an instance with detailed monitoring (RunInstances or launch
 * template `Monitoring.Enabled`) publishes every minute; with basic monitoring (the default) its
 * CPUUtilization / NetworkIn / NetworkOut go out once per 5 minutes, stamped at the period's
 * start, when the period closes (CPU as the distribution of its minutes, so Average, Minimum and
 * Maximum hold; network as the period's sum). StatusCheckFailed is per minute either way, as on
 * AWS. A group's series follow its members' cadence.
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

/** CPU values (value -> count) and network sums of a series over a minute or a 5-minute period. */
interface Accumulated {
  region: string;
  dimension: { Name: string; Value: string };
  cpu: Map<number, number>;
  netIn: number;
  netOut: number;
}

const BASIC_PERIOD_MS = 5 * MINUTE_MS;

export class Ec2Metrics {
  /** minute -> instance id -> served load. */
  private minutes = new Map<number, Map<string, InstanceMinute>>();
  private cpuPerRps = new Map<string, number>();
  /** Basic-monitoring series of open 5-minute periods, by "<period start>|<region>|<dimension>". */
  private basic = new Map<string, Accumulated>();

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
    const push = (region: string, ...data: Datum[]) => {
      const list = out.get(region);
      if (list) list.push(...data);
      else out.set(region, data);
    };
    /** Detailed-monitoring series of this minute, by dimension. */
    const detailed = new Map<string, Accumulated>();
    const period = Math.floor(minute / BASIC_PERIOD_MS) * BASIC_PERIOD_MS;
    const statusGroups = new Map<string, { region: string; name: string }>();
    const warming = new Map<string, Set<string>>();
    for (const instance of Object.values(ec2State(this.cloud).instances)) {
      // Running at some point of the minute: running now, or it stopped being running after the minute started.
      const ran = instance.State === "running" ? (instance.RunningSince ?? instance.LaunchTime) < minute + MINUTE_MS : false;
      if (!ran) continue;
      const load = served.get(instance.InstanceId) ?? { requests: 0, bytesOut: 0 };
      const cpu = this.cpuFor(instance, load.requests, minute);
      const netIn = load.requests * REQUEST_BYTES;
      const netOut = load.bytesOut + load.requests * RESPONSE_HEADER_BYTES;
      push(instance.region, {
        MetricName: "StatusCheckFailed",
        Dimensions: [{ Name: "InstanceId", Value: instance.InstanceId }],
        Timestamp: minute,
        Unit: "Count",
        Value: 0,
      });
      const series = (name: string, value: string) => {
        const key = `${instance.region}|${name}=${value}`;
        const target = instance.MonitoringEnabled ? detailed : this.basic;
        const mapKey = instance.MonitoringEnabled ? key : `${period}|${key}`;
        let acc = target.get(mapKey);
        if (!acc)
          target.set(
            mapKey,
            (acc = { region: instance.region, dimension: { Name: name, Value: value }, cpu: new Map(), netIn: 0, netOut: 0 }),
          );
        return acc;
      };
      const own = series("InstanceId", instance.InstanceId);
      addTo(own.cpu, cpu);
      own.netIn += netIn;
      own.netOut += netOut;
      const groupName = instance.Tags?.find((t) => t.Key === "aws:autoscaling:groupName")?.Value;
      if (groupName) {
        const key = `${instance.region}/${groupName}`;
        statusGroups.set(key, { region: instance.region, name: groupName });
        if (!warming.has(key)) warming.set(key, warmingInstanceIds(this.cloud, instance.region, groupName, minute + MINUTE_MS));
        const group = series("AutoScalingGroupName", groupName);
        if (!warming.get(key)!.has(instance.InstanceId)) addTo(group.cpu, cpu);
        group.netIn += netIn;
        group.netOut += netOut;
      }
    }
    for (const g of statusGroups.values()) {
      push(g.region, {
        MetricName: "StatusCheckFailed",
        Dimensions: [{ Name: "AutoScalingGroupName", Value: g.name }],
        Timestamp: minute,
        Unit: "Count",
        Value: 0,
      });
    }
    for (const acc of detailed.values()) push(acc.region, ...this.datums(acc, minute));
    // The minute that closes a 5-minute period publishes that period (and any a clock jump left open).
    if (minute + MINUTE_MS === period + BASIC_PERIOD_MS) {
      for (const [key, acc] of this.basic) {
        const start = Number(key.slice(0, key.indexOf("|")));
        if (start > period) continue;
        push(acc.region, ...this.datums(acc, start));
        this.basic.delete(key);
      }
    }
    return out;
  }

  private datums(acc: Accumulated, at: number): Datum[] {
    const Dimensions = [acc.dimension];
    const out: Datum[] = [];
    if (acc.cpu.size) out.push({ MetricName: "CPUUtilization", Dimensions, Timestamp: at, Unit: "Percent", ...valuesAndCounts(acc.cpu) });
    out.push(
      { MetricName: "NetworkIn", Dimensions, Timestamp: at, Unit: "Bytes", Value: acc.netIn },
      { MetricName: "NetworkOut", Dimensions, Timestamp: at, Unit: "Bytes", Value: acc.netOut },
    );
    return out;
  }

  clear(): void {
    this.minutes.clear();
    this.basic.clear();
    this.cpuPerRps.clear();
  }
}
