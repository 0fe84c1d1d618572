import type { EnvironmentSpec } from "@/server/environments/spec.ts";

/**
 * The environment form edits strings (what inputs hold) and turns them into the spec the
 * server validates. Numbers stay strings until the server's schema coerces them, so a
 * typo is reported on its field instead of silently becoming 0 or NaN in the browser.
 */
export interface FormState {
  name: string;
  account: string;
  region: string;
  availabilityZones: string[];
  version: string;
  sourceKind: "al2023" | "ami";
  userData: string;
  amiId: string;
  artifactUri: string;
  instanceProfileArn: string;
  instanceType: string;
  min: string;
  desired: string;
  max: string;
  scalingMetric: "cpu" | "requests_per_target";
  scalingTarget: string;
  hcPath: string;
  hcInterval: string;
  hcTimeout: string;
  hcHealthy: string;
  hcUnhealthy: string;
  hcGrace: string;
  dbEnabled: boolean;
  dbEngine: "postgres" | "mysql";
  dbClass: string;
  dbStorage: string;
  dbMultiAz: boolean;
  cacheEnabled: boolean;
  cacheEngine: "valkey" | "redis";
  cacheNodeType: string;
  cacheReplicas: string;
  cacheMultiAz: boolean;
  cloudfront: boolean;
  egress: "nat-per-az" | "nat-shared" | "public";
  certificateArn: string;
  strategy: "all-at-once" | "canary";
  canarySteps: string;
  bakeMinutes: string;
  maxBakeMinutes: string;
  onUndecided: "hold" | "rollback";
  stickyMinutes: string;
  max5xx: string;
  maxP95: string;
  rollbackWindow: string;
  protected: boolean;
}

export function toFormState(s: EnvironmentSpec, defaults: { userData: string }): FormState {
  return {
    name: s.name,
    account: s.account,
    region: s.region,
    availabilityZones: s.availabilityZones,
    version: s.app.version,
    sourceKind: s.app.source.kind,
    userData: s.app.source.kind === "al2023" ? s.app.source.userData : defaults.userData,
    amiId: s.app.source.kind === "ami" ? s.app.source.amiId : "",
    artifactUri: s.app.artifactUri,
    instanceProfileArn: s.app.instanceProfileArn ?? "",
    instanceType: s.instanceType,
    min: String(s.capacity.min),
    desired: String(s.capacity.desired),
    max: String(s.capacity.max),
    scalingMetric: s.scaling.metric,
    scalingTarget: String(s.scaling.target),
    hcPath: s.healthCheck.path,
    hcInterval: String(s.healthCheck.intervalSeconds),
    hcTimeout: String(s.healthCheck.timeoutSeconds),
    hcHealthy: String(s.healthCheck.healthyThreshold),
    hcUnhealthy: String(s.healthCheck.unhealthyThreshold),
    hcGrace: String(s.healthCheck.gracePeriodSeconds),
    dbEnabled: s.database !== null,
    dbEngine: s.database?.engine ?? "postgres",
    dbClass: s.database?.instanceClass ?? "db.t3.medium",
    dbStorage: String(s.database?.storageGb ?? 20),
    dbMultiAz: s.database?.multiAz ?? true,
    cacheEnabled: (s.cache ?? null) !== null,
    cacheEngine: s.cache?.engine ?? "valkey",
    cacheNodeType: s.cache?.nodeType ?? "cache.t4g.micro",
    cacheReplicas: String(s.cache?.replicas ?? 1),
    cacheMultiAz: s.cache?.multiAz ?? true,
    cloudfront: s.cloudfront,
    egress: s.network.egress,
    certificateArn: s.certificateArn ?? "",
    strategy: s.rollout.strategy,
    canarySteps: s.rollout.canarySteps.join(","),
    bakeMinutes: String(s.rollout.bakeMinutes),
    maxBakeMinutes: String(s.rollout.maxBakeMinutes ?? Math.max(30, s.rollout.bakeMinutes)),
    onUndecided: s.rollout.onUndecided ?? "hold",
    stickyMinutes: String(s.rollout.stickyMinutes ?? 0),
    max5xx: String(s.autoRollback.max5xxRatePercent),
    maxP95: String(s.autoRollback.maxP95LatencyMs),
    rollbackWindow: String(s.rollbackWindowMinutes),
    protected: s.protected,
  };
}

/** The payload sent to the server: spec-shaped, numbers still as typed. */
export function toSpecInput(f: FormState) {
  return {
    name: f.name,
    account: f.account,
    region: f.region,
    availabilityZones: f.availabilityZones,
    app: {
      version: f.version,
      source: f.sourceKind === "ami" ? { kind: "ami", amiId: f.amiId } : { kind: "al2023", userData: f.userData },
      artifactUri: f.artifactUri,
      // Empty means "Switchyard creates the instance profile".
      instanceProfileArn: f.instanceProfileArn.trim() || null,
    },
    instanceType: f.instanceType,
    capacity: { min: f.min, desired: f.desired, max: f.max },
    scaling: { metric: f.scalingMetric, target: f.scalingTarget },
    healthCheck: {
      path: f.hcPath,
      intervalSeconds: f.hcInterval,
      timeoutSeconds: f.hcTimeout,
      healthyThreshold: f.hcHealthy,
      unhealthyThreshold: f.hcUnhealthy,
      gracePeriodSeconds: f.hcGrace,
    },
    database: f.dbEnabled ? { engine: f.dbEngine, instanceClass: f.dbClass, storageGb: f.dbStorage, multiAz: f.dbMultiAz } : null,
    cache: f.cacheEnabled ? { engine: f.cacheEngine, nodeType: f.cacheNodeType, replicas: f.cacheReplicas, multiAz: f.cacheMultiAz } : null,
    cloudfront: f.cloudfront,
    network: { egress: f.egress },
    certificateArn: f.certificateArn.trim() || null,
    rollout: {
      strategy: f.strategy,
      canarySteps: f.canarySteps,
      bakeMinutes: f.bakeMinutes,
      maxBakeMinutes: f.maxBakeMinutes,
      onUndecided: f.onUndecided,
      stickyMinutes: f.stickyMinutes,
    },
    autoRollback: { max5xxRatePercent: f.max5xx, maxP95LatencyMs: f.maxP95 },
    rollbackWindowMinutes: f.rollbackWindow,
    protected: f.protected,
  };
}
