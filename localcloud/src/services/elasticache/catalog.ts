/** Node types (vCPUs, memory) and engine versions ElastiCache offers for replication groups. */

export const NODE_TYPES: Record<string, { vcpu: number; memoryGiB: number }> = {
  "cache.t3.micro": { vcpu: 2, memoryGiB: 0.5 },
  "cache.t3.small": { vcpu: 2, memoryGiB: 1.37 },
  "cache.t3.medium": { vcpu: 2, memoryGiB: 3.09 },
  "cache.t4g.micro": { vcpu: 2, memoryGiB: 0.5 },
  "cache.t4g.small": { vcpu: 2, memoryGiB: 1.37 },
  "cache.t4g.medium": { vcpu: 2, memoryGiB: 3.09 },
  "cache.m6g.large": { vcpu: 2, memoryGiB: 6.38 },
  "cache.m6g.xlarge": { vcpu: 4, memoryGiB: 12.93 },
  "cache.m7g.large": { vcpu: 2, memoryGiB: 6.38 },
  "cache.m7g.xlarge": { vcpu: 4, memoryGiB: 12.93 },
  "cache.r6g.large": { vcpu: 2, memoryGiB: 13.07 },
  "cache.r6g.xlarge": { vcpu: 4, memoryGiB: 26.32 },
  "cache.r7g.large": { vcpu: 2, memoryGiB: 13.07 },
  "cache.r7g.xlarge": { vcpu: 4, memoryGiB: 26.32 },
};

export const ENGINE_VERSIONS: Record<"redis" | "valkey", { default: string; versions: string[] }> = {
  redis: { default: "7.1", versions: ["6.0", "6.2", "7.0", "7.1"] },
  valkey: { default: "8.0", versions: ["7.2", "8.0"] },
};
