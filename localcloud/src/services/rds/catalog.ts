/** Engines and instance classes the local RDS accepts, with AWS's defaults. */

export interface EngineSpec {
  defaultVersion: string;
  /** Major version -> the minor version picked when only the major is given. */
  majors: Record<string, string>;
  port: number;
  licenseModel: string;
  maxUsernameLength: number;
  reservedUsernames: string[];
  parameterGroupFamily: (major: string) => string;
  optionGroup: (major: string) => string;
}

export const ENGINES: Record<string, EngineSpec> = {
  postgres: {
    defaultVersion: "17.6",
    majors: { "13": "13.22", "14": "14.19", "15": "15.14", "16": "16.10", "17": "17.6" },
    port: 5432,
    licenseModel: "postgresql-license",
    maxUsernameLength: 63,
    reservedUsernames: ["rdsadmin", "admin", "postgres", "rdsrepladmin"],
    parameterGroupFamily: (major) => `default.postgres${major}`,
    optionGroup: (major) => `default:postgres-${major}`,
  },
  mysql: {
    defaultVersion: "8.0.43",
    majors: { "5.7": "5.7.44", "8.0": "8.0.43", "8.4": "8.4.6" },
    port: 3306,
    licenseModel: "general-public-license",
    maxUsernameLength: 32,
    reservedUsernames: ["rdsadmin", "mysql.sys", "root"],
    parameterGroupFamily: (major) => `default.mysql${major}`,
    optionGroup: (major) => `default:mysql-${major.replace(".", "-")}`,
  },
};

/** The major version of an engine version string ("17.6" -> "17", "8.0.43" -> "8.0"). */
export function majorOf(engine: string, version: string): string {
  const parts = version.split(".");
  return engine === "mysql" ? parts.slice(0, 2).join(".") : parts[0];
}

/** Resolve a requested version (full or major only) to a concrete one, or undefined when unknown. */
export function resolveEngineVersion(engine: string, requested: string | undefined): string | undefined {
  const spec = ENGINES[engine];
  if (!requested) return spec.defaultVersion;
  if (spec.majors[requested]) return spec.majors[requested];
  const major = majorOf(engine, requested);
  return spec.majors[major] && /^\d+(\.\d+){1,2}$/.test(requested) ? requested : undefined;
}

export interface InstanceClassSpec {
  vcpu: number;
  memoryGiB: number;
}

const SIZES: Array<[string, number, number]> = [
  // size, vCPU, memory multiplier relative to "large"
  ["large", 2, 1],
  ["xlarge", 4, 2],
  ["2xlarge", 8, 4],
  ["4xlarge", 16, 8],
  ["8xlarge", 32, 16],
  ["12xlarge", 48, 24],
  ["16xlarge", 64, 32],
];

function family(prefix: string, largeMemoryGiB: number): Record<string, InstanceClassSpec> {
  return Object.fromEntries(SIZES.map(([size, vcpu, m]) => [`db.${prefix}.${size}`, { vcpu, memoryGiB: largeMemoryGiB * m }]));
}

function burstable(prefix: string): Record<string, InstanceClassSpec> {
  return {
    [`db.${prefix}.micro`]: { vcpu: 2, memoryGiB: 1 },
    [`db.${prefix}.small`]: { vcpu: 2, memoryGiB: 2 },
    [`db.${prefix}.medium`]: { vcpu: 2, memoryGiB: 4 },
    [`db.${prefix}.large`]: { vcpu: 2, memoryGiB: 8 },
    [`db.${prefix}.xlarge`]: { vcpu: 4, memoryGiB: 16 },
    [`db.${prefix}.2xlarge`]: { vcpu: 8, memoryGiB: 32 },
  };
}

/** Instance classes offered for PostgreSQL and MySQL (the general-purpose and memory-optimised families). */
export const INSTANCE_CLASSES: Record<string, InstanceClassSpec> = {
  ...burstable("t3"),
  ...burstable("t4g"),
  ...family("m5", 8),
  ...family("m6g", 8),
  ...family("m6i", 8),
  ...family("m7g", 8),
  ...family("r5", 16),
  ...family("r6g", 16),
  ...family("r6i", 16),
  ...family("r7g", 16),
};

/** Storage limits (GiB) per storage type for PostgreSQL and MySQL. */
export const STORAGE_LIMITS: Record<string, { min: number; max: number }> = {
  gp2: { min: 20, max: 65536 },
  gp3: { min: 20, max: 65536 },
  io1: { min: 100, max: 65536 },
  io2: { min: 100, max: 65536 },
  standard: { min: 5, max: 3072 },
};
