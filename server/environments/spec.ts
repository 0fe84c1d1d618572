import { z } from "zod";
import { CACHE_NODE_TYPES, DB_INSTANCE_CLASSES, INSTANCE_TYPES, REGIONS, zonesOf } from "../catalog/aws.ts";

/**
 * An environment's spec: everything Switchyard needs to build and run its stack. Every
 * save stores a new immutable version of it. One schema for the form, the API and the
 * workflows; cross-field rules (min <= desired <= max, zones in the region...) are here
 * too so every edge reports them on the right field.
 */

/** Longest name whose derived AWS names fit: target groups `<name>-green` must be <= 32 chars. */
export const NAME_MAX = 24;
/** New environments: their AWS names carry the "sy-" prefix, so `sy-<name>-green` must fit in 32. */
export const NEW_NAME_MAX = 23;

/**
 * The default user data: the delivery contract (README, "The delivery contract") on Amazon
 * Linux 2023. The artifact comes from S3 and the database's settings from SSM under
 * /switchyard/<environment>/, its password from Secrets Manager, all through the instance
 * profile; `dnf` reaches the AL2023 repositories through the S3 gateway endpoint. Works in every
 * network mode. The lines between `# switchyard: if database` and `# switchyard: end` are left
 * out for an environment without a database; those between `# switchyard: if cache` and
 * `# switchyard: end` (the cache's endpoint, also from SSM) for one without a cache.
 */
export const DEFAULT_USER_DATA = `#!/bin/bash
# Installs and starts {{environment}} version {{version}} on Amazon Linux 2023 ({{slot}} fleet).
# localcloud: boot_seconds=20 latency_ms=30 error_rate=0.0 health=ok cpu_per_rps=0.8
set -euo pipefail
export AWS_DEFAULT_REGION={{region}} APP_ENVIRONMENT={{environment}} APP_SLOT={{slot}}
export APP_VERSION={{version}}
dnf install -y nodejs
mkdir -p /opt/app && cd /opt/app
aws s3 cp "{{artifact}}" app.tgz && tar xzf app.tgz
# switchyard: if database
export DB_HOST=$(aws ssm get-parameter --name /switchyard/{{environment}}/db/endpoint --query Parameter.Value --output text)
export DB_PORT=$(aws ssm get-parameter --name /switchyard/{{environment}}/db/port --query Parameter.Value --output text)
export DB_NAME=$(aws ssm get-parameter --name /switchyard/{{environment}}/db/name --query Parameter.Value --output text)
DB_SECRET=$(aws secretsmanager get-secret-value --secret-id "{{dbSecretArn}}" --query SecretString --output text)
export DB_USER=$(echo "$DB_SECRET" | python3 -c 'import json,sys; print(json.load(sys.stdin)["username"])')
export DB_PASSWORD=$(echo "$DB_SECRET" | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')
# switchyard: end
# switchyard: if cache
export CACHE_HOST=$(aws ssm get-parameter --name /switchyard/{{environment}}/cache/endpoint --query Parameter.Value --output text)
export CACHE_PORT=$(aws ssm get-parameter --name /switchyard/{{environment}}/cache/port --query Parameter.Value --output text)
export CACHE_TLS=true
# switchyard: end
nohup node server.js > /var/log/app.log 2>&1 &
`;

/** Where the app's build for a version lives; {{version}} (and {{environment}}) are filled in. */
export const DEFAULT_ARTIFACT_URI = "s3://my-artifacts/{{environment}}/app-{{version}}.tgz";

/**
 * How instances reach the internet (packages, APIs): a NAT gateway per zone (survives a zone
 * outage), one shared NAT gateway (half the price, one zone's failure cuts the way out), or
 * public subnets with public IPs (cheapest; security groups still admit only the ALB).
 */
export const EGRESS_MODES = ["nat-per-az", "nat-shared", "public"] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

/** A decimal number written out in full ("5", "-2.5", "1e3"): what an HTML form posts for a number. */
const NUMERIC_STRING = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Numbers are JSON numbers, or numeric strings (HTML forms post strings). `null`, `true`,
 * `[5]` and `""` are refused: `z.coerce.number()` turned them into 0, 1, 5 and 0.
 * (A preprocess rather than a union keeps the OpenAPI schema an integer with its bounds.)
 */
export const strictNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && NUMERIC_STRING.test(v) ? Number(v) : v), schema);

const int = (label: string, min: number, max: number) =>
  strictNumber(
    z
      .number({ message: `${label} must be a number` })
      .int(`${label} must be a whole number`)
      .min(min, `${label} must be at least ${min}`)
      .max(max, `${label} must be at most ${max}`),
  );

const num = (label: string, min: number, max: number) =>
  strictNumber(
    z
      .number({ message: `${label} must be a number` })
      .min(min, `${label} must be at least ${min}`)
      .max(max, `${label} must be at most ${max}`),
  );

export const environmentName = z
  .string({ message: "Enter a name" })
  .trim()
  .min(3, "At least 3 characters")
  .max(NAME_MAX, `At most ${NAME_MAX} characters (load balancer and target group names derive from it)`)
  .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, "Lowercase letters, digits and hyphens; start with a letter, end with a letter or digit")
  .refine((n) => !n.includes("--"), "No double hyphens");

const appSource = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("ami"),
    amiId: z
      .string()
      .trim()
      .regex(/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/, "An AMI id looks like ami-0abc1234def567890"),
  }),
  z.object({
    kind: z.literal("al2023"),
    userData: z
      .string()
      .min(1, "Enter a user-data script")
      .max(16_000, "User data is limited to 16 KB")
      .refine((s) => s.startsWith("#!") || s.startsWith("#cloud-config"), "Start the script with #! or #cloud-config"),
  }),
]);

export const specSchema = z
  .object({
    name: environmentName,
    account: z.string({ message: "Choose an AWS account" }).trim().min(1, "Choose an AWS account"),
    region: z.string().refine((r) => r in REGIONS, { message: "Unknown region" }),
    availabilityZones: z.array(z.string()).min(2, "Choose at least 2 availability zones").max(6),
    app: z.object({
      version: z
        .string()
        .trim()
        .min(1, "Enter the version to run")
        .max(64, "At most 64 characters")
        .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "Letters, digits, dots, hyphens, underscores, plus"),
      source: appSource,
      artifactUri: z
        .string()
        .trim()
        .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/, "An S3 URI: s3://bucket/key")
        .max(1024)
        .refine((u) => u.includes("{{version}}"), "Include {{version}}, so each version has its own artifact")
        .default(DEFAULT_ARTIFACT_URI),
      // An existing instance profile (its role needs the same permissions), or null: Switchyard creates one.
      instanceProfileArn: z
        .string()
        .trim()
        .regex(
          /^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]+$/,
          "An instance profile ARN: arn:aws:iam::123456789012:instance-profile/name",
        )
        .nullable()
        .default(null),
    }),
    instanceType: z.string().refine((t) => t in INSTANCE_TYPES, { message: "Unknown instance type" }),
    capacity: z.object({ min: int("Minimum", 0, 100), desired: int("Desired", 0, 100), max: int("Maximum", 1, 100) }),
    scaling: z.object({
      metric: z.enum(["cpu", "requests_per_target"], { message: "Choose CPU or requests per target" }),
      target: num("Target", 1, 100_000),
    }),
    healthCheck: z.object({
      path: z
        .string()
        .trim()
        .regex(/^\/[\x21-\x7e]*$/, "A path starting with /")
        .max(1024),
      intervalSeconds: int("Interval", 5, 300),
      timeoutSeconds: int("Timeout", 2, 120),
      healthyThreshold: int("Healthy threshold", 2, 10),
      unhealthyThreshold: int("Unhealthy threshold", 2, 10),
      gracePeriodSeconds: int("Grace period", 0, 7200),
    }),
    database: z
      .object({
        engine: z.enum(["postgres", "mysql"], { message: "Choose postgres or mysql" }),
        instanceClass: z.string().refine((c) => c in DB_INSTANCE_CLASSES, { message: "Unknown database instance class" }),
        storageGb: int("Storage", 20, 65_536),
        multiAz: z.boolean(),
      })
      .nullable(),
    // An ElastiCache replication group (Valkey or Redis OSS) in the private subnets, or null.
    cache: z
      .object({
        engine: z.enum(["valkey", "redis"], { message: "Choose valkey or redis" }),
        nodeType: z.string().refine((t) => t in CACHE_NODE_TYPES, { message: "Unknown cache node type" }),
        replicas: int("Replicas", 0, 5),
        // Multi-AZ: replicas in other zones and automatic failover to one of them.
        multiAz: z.boolean(),
      })
      .nullable()
      .default(null),
    cloudfront: z.boolean(),
    network: z
      .object({ egress: z.enum(EGRESS_MODES, { message: "Choose nat-per-az, nat-shared or public" }) })
      .default({ egress: "nat-shared" }),
    // An ACM certificate in the environment's region: the load balancer then also listens on HTTPS.
    certificateArn: z
      .string()
      .trim()
      .regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/,
        "An ACM certificate ARN: arn:aws:acm:us-east-1:123456789012:certificate/...",
      )
      .nullable()
      .default(null),
    rollout: z.object({
      strategy: z.enum(["all-at-once", "canary"], { message: "Choose all-at-once or canary" }),
      // "10,50,100" (form, API) or [10, 50, 100].
      canarySteps: z.preprocess(
        (v) =>
          typeof v === "string"
            ? v
                .split(",")
                .map((x) => x.trim())
                .filter(Boolean)
            : v,
        z
          .array(int("Step", 1, 100))
          .min(1, "At least one step")
          .max(10, "At most 10 steps"),
      ),
      bakeMinutes: num("Bake time", 0, 1440),
      // Not enough data never passes: the bake extends up to this long, then holds or rolls back.
      // (Optional: specs saved before these fields have them filled by withSpecDefaults.)
      maxBakeMinutes: num("Longest bake", 0, 1440).optional(),
      onUndecided: z.enum(["hold", "rollback"], { message: "Choose hold or rollback" }).optional(),
      // Target group stickiness during canary steps: a viewer stays on the version it first got
      // for this long (0: off). Never at 100% or on a rollback, which send everyone back at once.
      stickyMinutes: num("Sticky sessions", 0, 10_080).optional(),
    }),
    autoRollback: z.object({
      max5xxRatePercent: num("5xx rate", 0, 100),
      maxP95LatencyMs: int("p95 latency", 1, 600_000),
    }),
    rollbackWindowMinutes: int("Rollback window", 0, 10_080),
    protected: z.boolean(),
    // Patch OS on a schedule: the newest Amazon Linux 2023 image rolled out weekly in a window (server/operations/os-patch-schedule.ts).
    osPatching: z
      .object({
        schedule: z.enum(["off", "weekly"], { message: "Choose off or weekly" }),
        day: z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], { message: "Choose a day of the week" }),
        hourUtc: int("Hour (UTC)", 0, 23),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const { min, desired, max } = s.capacity;
    if (min > max) issue(["capacity", "min"], `Minimum (${min}) is greater than maximum (${max})`);
    if (desired < min) issue(["capacity", "desired"], `Desired (${desired}) is below minimum (${min})`);
    if (desired > max) issue(["capacity", "desired"], `Desired (${desired}) is above maximum (${max})`);

    const zones = zonesOf(s.region);
    if (zones.length) {
      if (s.availabilityZones.length > zones.length) {
        issue(["availabilityZones"], `${s.region} has ${zones.length} availability zones; you asked for ${s.availabilityZones.length}`);
      } else if (s.availabilityZones.length > 3) {
        issue(["availabilityZones"], "Choose 2 or 3 availability zones");
      }
      for (const az of s.availabilityZones)
        if (!zones.includes(az)) issue(["availabilityZones"], `${az} is not an availability zone of ${s.region}`);
      if (new Set(s.availabilityZones).size !== s.availabilityZones.length) issue(["availabilityZones"], "Each availability zone once");
    }

    const hc = s.healthCheck;
    if (hc.timeoutSeconds >= hc.intervalSeconds)
      issue(
        ["healthCheck", "timeoutSeconds"],
        `Timeout (${hc.timeoutSeconds}s) must be shorter than the interval (${hc.intervalSeconds}s)`,
      );
    if (s.certificateArn && s.certificateArn.split(":")[3] !== s.region)
      issue(["certificateArn"], `The certificate must be in ${s.region}, the load balancer's region`);
    if (s.cache?.multiAz && s.cache.replicas < 1) issue(["cache", "replicas"], "Multi-AZ needs at least 1 replica to fail over to");
    if (s.scaling.metric === "cpu" && s.scaling.target > 100) issue(["scaling", "target"], "A CPU target is a percentage: at most 100");

    const steps = s.rollout.canarySteps;
    if (s.rollout.strategy === "canary") {
      if (steps.some((v, i) => i > 0 && v <= steps[i - 1])) issue(["rollout", "canarySteps"], "Steps must increase, e.g. 10,50,100");
      if (steps[steps.length - 1] !== 100) issue(["rollout", "canarySteps"], "The last step must be 100");
    }
    if (s.rollout.maxBakeMinutes !== undefined && s.rollout.maxBakeMinutes < s.rollout.bakeMinutes)
      issue(["rollout", "maxBakeMinutes"], `At least the bake time (${s.rollout.bakeMinutes} min): the bake extends up to this`);
  });

export type EnvironmentSpec = z.infer<typeof specSchema>;

/** A sensible starting spec for the "new environment" form. */
export function defaultSpec(account: string, region = "us-east-1"): EnvironmentSpec {
  return {
    name: "",
    account,
    region,
    availabilityZones: zonesOf(region).slice(0, 2),
    app: {
      version: "v1",
      source: { kind: "al2023", userData: DEFAULT_USER_DATA },
      artifactUri: DEFAULT_ARTIFACT_URI,
      instanceProfileArn: null,
    },
    instanceType: "t3.small",
    capacity: { min: 2, desired: 2, max: 6 },
    scaling: { metric: "cpu", target: 50 },
    healthCheck: {
      path: "/health",
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      gracePeriodSeconds: 60,
    },
    database: { engine: "postgres", instanceClass: "db.t3.medium", storageGb: 20, multiAz: true },
    cache: null,
    cloudfront: true,
    network: { egress: "nat-shared" },
    certificateArn: null,
    rollout: { strategy: "canary", canarySteps: [10, 50, 100], bakeMinutes: 5, maxBakeMinutes: 30, onUndecided: "hold", stickyMinutes: 0 },
    autoRollback: { max5xxRatePercent: 2, maxP95LatencyMs: 800 },
    rollbackWindowMinutes: 60,
    protected: false,
  };
}

/**
 * A stored spec with the fields added since it was saved filled in as the schema would: specs
 * are immutable JSON, so versions saved before a field existed lack it.
 */
export function withSpecDefaults(spec: EnvironmentSpec): EnvironmentSpec {
  const raw = spec as Partial<EnvironmentSpec> & EnvironmentSpec;
  return {
    ...raw,
    app: { ...raw.app, artifactUri: raw.app.artifactUri ?? DEFAULT_ARTIFACT_URI, instanceProfileArn: raw.app.instanceProfileArn ?? null },
    network: raw.network ?? { egress: "nat-shared" },
    cache: raw.cache ?? null,
    certificateArn: raw.certificateArn ?? null,
    rollout: {
      ...raw.rollout,
      maxBakeMinutes: raw.rollout.maxBakeMinutes ?? Math.max(30, raw.rollout.bakeMinutes),
      onUndecided: raw.rollout.onUndecided ?? "hold",
      stickyMinutes: raw.rollout.stickyMinutes ?? 0,
    },
  };
}
