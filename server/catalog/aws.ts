/**
 * What Switchyard validates specs against before any AWS call: regions with their
 * availability zones, the instance types and database classes it offers. Static on
 * purpose (answers in microseconds, works offline); provisioning still surfaces AWS's own
 * error if an account lacks a type.
 */
export const REGIONS: Record<string, { name: string; zones: string[] }> = {
  "us-east-1": { name: "US East (N. Virginia)", zones: ["a", "b", "c", "d", "e", "f"] },
  "us-east-2": { name: "US East (Ohio)", zones: ["a", "b", "c"] },
  "us-west-1": { name: "US West (N. California)", zones: ["a", "c"] },
  "us-west-2": { name: "US West (Oregon)", zones: ["a", "b", "c", "d"] },
  "ca-central-1": { name: "Canada (Central)", zones: ["a", "b", "d"] },
  "eu-west-1": { name: "Europe (Ireland)", zones: ["a", "b", "c"] },
  "eu-west-2": { name: "Europe (London)", zones: ["a", "b", "c"] },
  "eu-central-1": { name: "Europe (Frankfurt)", zones: ["a", "b", "c"] },
  "eu-north-1": { name: "Europe (Stockholm)", zones: ["a", "b", "c"] },
  "ap-south-1": { name: "Asia Pacific (Mumbai)", zones: ["a", "b", "c"] },
  "ap-southeast-1": { name: "Asia Pacific (Singapore)", zones: ["a", "b", "c"] },
  "ap-southeast-2": { name: "Asia Pacific (Sydney)", zones: ["a", "b", "c"] },
  "ap-northeast-1": { name: "Asia Pacific (Tokyo)", zones: ["a", "c", "d"] },
  "sa-east-1": { name: "South America (São Paulo)", zones: ["a", "b", "c"] },
};

export function zonesOf(region: string): string[] {
  return (REGIONS[region]?.zones ?? []).map((z) => `${region}${z}`);
}

/** Instance types offered, with vCPUs and memory (GiB). */
export const INSTANCE_TYPES: Record<string, { vcpu: number; memoryGiB: number }> = {
  "t3.micro": { vcpu: 2, memoryGiB: 1 },
  "t3.small": { vcpu: 2, memoryGiB: 2 },
  "t3.medium": { vcpu: 2, memoryGiB: 4 },
  "t3.large": { vcpu: 2, memoryGiB: 8 },
  "t3.xlarge": { vcpu: 4, memoryGiB: 16 },
  "t3a.micro": { vcpu: 2, memoryGiB: 1 },
  "t3a.small": { vcpu: 2, memoryGiB: 2 },
  "t3a.medium": { vcpu: 2, memoryGiB: 4 },
  "t4g.small": { vcpu: 2, memoryGiB: 2 },
  "t4g.medium": { vcpu: 2, memoryGiB: 4 },
  "m5.large": { vcpu: 2, memoryGiB: 8 },
  "m5.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m6i.large": { vcpu: 2, memoryGiB: 8 },
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m6i.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "m7g.large": { vcpu: 2, memoryGiB: 8 },
  "m7g.xlarge": { vcpu: 4, memoryGiB: 16 },
  "c5.large": { vcpu: 2, memoryGiB: 4 },
  "c6i.large": { vcpu: 2, memoryGiB: 4 },
  "c6i.xlarge": { vcpu: 4, memoryGiB: 8 },
  "c7g.large": { vcpu: 2, memoryGiB: 4 },
  "r5.large": { vcpu: 2, memoryGiB: 16 },
  "r6i.large": { vcpu: 2, memoryGiB: 16 },
  "r6i.xlarge": { vcpu: 4, memoryGiB: 32 },
};

/** RDS instance classes offered, with memory (GiB), for PostgreSQL and MySQL alike. */
export const DB_INSTANCE_CLASSES: Record<string, { vcpu: number; memoryGiB: number }> = {
  "db.t3.micro": { vcpu: 2, memoryGiB: 1 },
  "db.t3.small": { vcpu: 2, memoryGiB: 2 },
  "db.t3.medium": { vcpu: 2, memoryGiB: 4 },
  "db.t4g.micro": { vcpu: 2, memoryGiB: 1 },
  "db.t4g.medium": { vcpu: 2, memoryGiB: 4 },
  "db.m5.large": { vcpu: 2, memoryGiB: 8 },
  "db.m6g.large": { vcpu: 2, memoryGiB: 8 },
  "db.m6i.large": { vcpu: 2, memoryGiB: 8 },
  "db.m6i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "db.r6g.large": { vcpu: 2, memoryGiB: 16 },
  "db.r6g.xlarge": { vcpu: 4, memoryGiB: 32 },
  "db.r6i.large": { vcpu: 2, memoryGiB: 16 },
};

/** ElastiCache node types offered for the cache (vCPUs and memory, as AWS lists them). */
export const CACHE_NODE_TYPES: Record<string, { vcpu: number; memoryGiB: number }> = {
  "cache.t4g.micro": { vcpu: 2, memoryGiB: 0.5 },
  "cache.t4g.small": { vcpu: 2, memoryGiB: 1.37 },
  "cache.t4g.medium": { vcpu: 2, memoryGiB: 3.09 },
  "cache.t3.micro": { vcpu: 2, memoryGiB: 0.5 },
  "cache.t3.small": { vcpu: 2, memoryGiB: 1.37 },
  "cache.t3.medium": { vcpu: 2, memoryGiB: 3.09 },
  "cache.m7g.large": { vcpu: 2, memoryGiB: 6.38 },
  "cache.m7g.xlarge": { vcpu: 4, memoryGiB: 12.93 },
  "cache.r7g.large": { vcpu: 2, memoryGiB: 13.07 },
  "cache.r7g.xlarge": { vcpu: 4, memoryGiB: 26.32 },
};
