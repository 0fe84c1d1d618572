/**
 * The monthly cost of an environment's stack, line by line, from the price table in prices.ts.
 * Pure: the form asks for it on every change (through a server action) and the environment page
 * renders it. Lines that depend on traffic say what they assume.
 */
import type { EgressMode, EnvironmentSpec } from "../environments/spec.ts";
import {
  ASSUMPTIONS,
  EC2_HOURLY,
  ELASTICACHE_HOURLY,
  HOURS_PER_MONTH,
  PRICE_REGION,
  PRICES,
  PRICES_AS_OF,
  RDS_HOURLY,
  VALKEY_DISCOUNT,
} from "./prices.ts";

export interface CostLine {
  key: string;
  label: string;
  monthlyUsd: number;
  /** How the figure is made ("2 × t3.small × 730 h × $0.0208"). */
  detail: string;
}

export interface CostEstimate {
  lines: CostLine[];
  totalUsd: number;
  /** The same spec's total in each network mode, so the form can show what a choice costs. */
  byEgress: Record<EgressMode, number>;
  warnings: string[];
  pricesAsOf: string;
  priceRegion: string;
  /** Set when the environment is elsewhere: the table's prices are us-east-1's. */
  regionNote: string | null;
}

/** What the estimate reads; every field a half-filled form may lack is optional. */
export type CostInput = Pick<
  EnvironmentSpec,
  "region" | "availabilityZones" | "instanceType" | "capacity" | "database" | "cloudfront" | "protected"
> & {
  cache?: EnvironmentSpec["cache"];
  network?: { egress: EgressMode };
};

/** Unit prices in full ($0.0208), amounts to the cent. */
const usd = (n: number) => `$${n < 1 ? String(Number(n.toFixed(4))) : n.toFixed(2)}`;
const round = (n: number) => Math.round(n * 100) / 100;
const monthly = (hourly: number, count = 1) => hourly * HOURS_PER_MONTH * count;

function egressLines(mode: EgressMode, zones: number, instances: number): CostLine[] {
  if (mode === "public") {
    return [
      {
        key: "public-ipv4-instances",
        label: "Public IPv4 addresses of the instances",
        monthlyUsd: monthly(PRICES.publicIpv4Hourly, instances),
        detail: `${instances} × 730 h × ${usd(PRICES.publicIpv4Hourly)}`,
      },
    ];
  }
  const nats = mode === "nat-per-az" ? zones : 1;
  return [
    {
      key: "nat-gateways",
      label: mode === "nat-per-az" ? "NAT gateways (one per zone)" : "NAT gateway (shared by the zones)",
      monthlyUsd: monthly(PRICES.natGatewayHourly, nats),
      detail: `${nats} × 730 h × ${usd(PRICES.natGatewayHourly)}`,
    },
    {
      key: "nat-ipv4",
      label: "NAT gateways' Elastic IPs",
      monthlyUsd: monthly(PRICES.publicIpv4Hourly, nats),
      detail: `${nats} × 730 h × ${usd(PRICES.publicIpv4Hourly)}`,
    },
    {
      key: "nat-data",
      label: "NAT data processing (assumed)",
      monthlyUsd: ASSUMPTIONS.natGbPerMonth * PRICES.natGatewayPerGb,
      detail: `${ASSUMPTIONS.natGbPerMonth} GB × ${usd(PRICES.natGatewayPerGb)} (S3 and the AL2023 repositories go through the free S3 endpoint)`,
    },
  ];
}

function linesOf(spec: CostInput, mode: EgressMode): CostLine[] {
  const zones = Math.max(spec.availabilityZones.length, 1);
  const instances = Math.max(Number(spec.capacity.desired) || 0, 0);
  const hourly = EC2_HOURLY[spec.instanceType];
  const lines: CostLine[] = [
    {
      key: "instances",
      label: `Instances (${spec.instanceType}, live fleet)`,
      monthlyUsd: hourly === undefined ? 0 : monthly(hourly, instances),
      detail: hourly === undefined ? `no price for ${spec.instanceType} in the table` : `${instances} × 730 h × ${usd(hourly)}`,
    },
    {
      key: "volumes",
      label: "Root volumes (gp3)",
      monthlyUsd: instances * ASSUMPTIONS.rootVolumeGb * PRICES.ebsGp3GbMonth,
      detail: `${instances} × ${ASSUMPTIONS.rootVolumeGb} GB × ${usd(PRICES.ebsGp3GbMonth)}`,
    },
    {
      key: "monitoring",
      label: "Detailed monitoring (1-minute EC2 metrics)",
      monthlyUsd: instances * PRICES.detailedMonitoringInstanceMonth,
      detail: `${instances} × ${usd(PRICES.detailedMonitoringInstanceMonth)}`,
    },
    {
      key: "alb",
      label: "Application Load Balancer",
      monthlyUsd: monthly(PRICES.albHourly) + monthly(PRICES.albLcuHourly, ASSUMPTIONS.albLcus),
      detail: `730 h × ${usd(PRICES.albHourly)} + ${ASSUMPTIONS.albLcus} LCU (assumed) × 730 h × ${usd(PRICES.albLcuHourly)}`,
    },
    {
      key: "alb-ipv4",
      label: "Load balancer's public IPv4 (one per zone)",
      monthlyUsd: monthly(PRICES.publicIpv4Hourly, zones),
      detail: `${zones} × 730 h × ${usd(PRICES.publicIpv4Hourly)}`,
    },
    ...egressLines(mode, zones, instances),
  ];
  const db = spec.database;
  if (db) {
    const rate = RDS_HOURLY[db.engine]?.[db.instanceClass];
    const copies = db.multiAz ? 2 : 1;
    const storage = Number(db.storageGb) || 0;
    lines.push(
      {
        key: "database",
        label: `RDS ${db.engine} ${db.instanceClass}${db.multiAz ? " Multi-AZ" : ""}`,
        monthlyUsd: rate === undefined ? 0 : monthly(rate, copies),
        detail: rate === undefined ? `no price for ${db.instanceClass} in the table` : `${copies} × 730 h × ${usd(rate)}`,
      },
      {
        key: "database-storage",
        label: "Database storage (gp3)",
        monthlyUsd: storage * PRICES.rdsGp3GbMonth * copies,
        detail: `${storage} GB × ${copies} × ${usd(PRICES.rdsGp3GbMonth)}`,
      },
      {
        key: "database-secret",
        label: "Master password secret (Secrets Manager)",
        monthlyUsd: PRICES.secretMonth,
        detail: `1 × ${usd(PRICES.secretMonth)}`,
      },
    );
  }
  const cache = spec.cache;
  if (cache) {
    const redis = ELASTICACHE_HOURLY[cache.nodeType];
    const rate = redis === undefined ? undefined : cache.engine === "valkey" ? redis * (1 - VALKEY_DISCOUNT) : redis;
    const nodes = (Number(cache.replicas) || 0) + 1;
    lines.push({
      key: "cache",
      label: `ElastiCache ${cache.engine === "valkey" ? "Valkey" : "Redis OSS"} ${cache.nodeType}${cache.multiAz ? " Multi-AZ" : ""}`,
      monthlyUsd: rate === undefined ? 0 : monthly(rate, nodes),
      detail:
        rate === undefined
          ? `no price for ${cache.nodeType} in the table`
          : `${nodes} node${nodes === 1 ? "" : "s"} × 730 h × ${usd(rate)}`,
    });
  }
  if (spec.cloudfront) {
    const requests = ASSUMPTIONS.cdnRequestsPerMonth / 10_000;
    lines.push({
      key: "cloudfront",
      label: "CloudFront (assumed traffic)",
      monthlyUsd: ASSUMPTIONS.cdnGbPerMonth * PRICES.cloudfrontPerGb + requests * PRICES.cloudfrontPer10kHttps,
      detail: `${ASSUMPTIONS.cdnGbPerMonth} GB × ${usd(PRICES.cloudfrontPerGb)} + ${ASSUMPTIONS.cdnRequestsPerMonth / 1e6}M requests × ${usd(PRICES.cloudfrontPer10kHttps)}/10k (before the account's free tier)`,
    });
  }
  // Per fleet: 5xx rate (2 metrics), p95, unhealthy hosts, and target tracking's high and low alarms.
  // Per cache node: engine CPU and memory, and replication lag when there are replicas.
  const cacheNodes = cache ? (Number(cache.replicas) || 0) + 1 : 0;
  const metrics = 2 * (2 + 1 + 1 + 2) + (db ? 5 : 0) + (spec.cloudfront ? 1 : 0) + cacheNodes * (cacheNodes > 1 ? 3 : 2);
  lines.push({
    key: "alarms",
    label: "CloudWatch alarms",
    monthlyUsd: metrics * PRICES.alarmMetricMonth,
    detail: `${metrics} alarm metrics × ${usd(PRICES.alarmMetricMonth)}`,
  });
  return lines.map((l) => ({ ...l, monthlyUsd: round(l.monthlyUsd) }));
}

const total = (lines: CostLine[]) => round(lines.reduce((a, l) => a + l.monthlyUsd, 0));

export function estimateCost(spec: CostInput): CostEstimate {
  const mode = spec.network?.egress ?? "nat-shared";
  const lines = linesOf(spec, mode);
  const byEgress = {
    "nat-per-az": total(linesOf(spec, "nat-per-az")),
    "nat-shared": total(linesOf(spec, "nat-shared")),
    public: total(linesOf(spec, "public")),
  };
  const warnings: string[] = [];
  if (!spec.protected) {
    // The production-grade choices cost real money; on a staging or test environment they rarely pay off.
    if (mode === "nat-per-az")
      warnings.push(
        `A NAT gateway per zone costs $${round(byEgress["nat-per-az"] - byEgress["nat-shared"])}/month more than one shared NAT gateway; worth it for production, rarely for an unprotected environment.`,
      );
    const db = lines.find((l) => l.key === "database");
    if (spec.database?.multiAz && db)
      warnings.push(`Multi-AZ doubles the database to $${db.monthlyUsd}/month; an unprotected environment seldom needs a standby.`);
  }
  return {
    lines,
    totalUsd: total(lines),
    byEgress,
    warnings,
    pricesAsOf: PRICES_AS_OF,
    priceRegion: PRICE_REGION,
    regionNote:
      spec.region === PRICE_REGION ? null : `Prices are ${PRICE_REGION}'s; ${spec.region} usually costs the same to about a third more.`,
  };
}
