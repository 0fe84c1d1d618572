/**
 * Trims the real botocore service models down to what the local cloud serves, and writes them
 * to localcloud/models/<signing-name>.json (committed: the runtime never reads /usr/lib, so the
 * local cloud runs on machines without awscli).
 *
 * Kept per service: metadata, the operations some service module registers a handler for (plus
 * CODEC_OPERATIONS below, which the core tests drive before any handler exists), and the
 * transitive closure of their input/output/error shapes. Documentation is stripped.
 *
 *   npx tsx localcloud/scripts/extract-models.ts [--extra ec2:DescribeHosts,rds:DescribeDBClusters]
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "../src/core/types.ts";

const BOTOCORE_DATA = process.env.BOTOCORE_DATA ?? "/usr/lib/python3/dist-packages/awscli/botocore/data";
const MODELS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "models");

/** botocore folder and API version per signing name. */
const SOURCES: Record<ServiceName, { folder: string; version: string; serviceDir: string }> = {
  ec2: { folder: "ec2", version: "2016-11-15", serviceDir: "ec2" },
  autoscaling: { folder: "autoscaling", version: "2011-01-01", serviceDir: "autoscaling" },
  elasticloadbalancing: { folder: "elbv2", version: "2015-12-01", serviceDir: "elbv2" },
  rds: { folder: "rds", version: "2014-10-31", serviceDir: "rds" },
  elasticache: { folder: "elasticache", version: "2015-02-02", serviceDir: "elasticache" },
  monitoring: { folder: "cloudwatch", version: "2010-08-01", serviceDir: "cloudwatch" },
  cloudfront: { folder: "cloudfront", version: "2020-05-31", serviceDir: "cloudfront" },
  secretsmanager: { folder: "secretsmanager", version: "2017-10-17", serviceDir: "secretsmanager" },
  ssm: { folder: "ssm", version: "2014-11-06", serviceDir: "ssm" },
  sts: { folder: "sts", version: "2011-06-15", serviceDir: "sts" },
  iam: { folder: "iam", version: "2010-05-08", serviceDir: "iam" },
};

/**
 * The operations a service module registers handlers for. Each module is imported on its own so
 * one service that does not load (work in progress) does not block the others: its previously
 * extracted operations are kept.
 */
async function handledOperations(name: ServiceName, serviceDir: string): Promise<string[]> {
  try {
    const mod = await import(`../src/services/${serviceDir}/index.ts`);
    return Object.keys(mod.default?.handlers ?? {});
  } catch (err) {
    const file = path.join(MODELS_DIR, `${name}.json`);
    let previous: string[] = [];
    try {
      previous = Object.keys(JSON.parse(readFileSync(file, "utf8")).operations ?? {});
    } catch {}
    console.warn(
      `${name}: could not import its module (${(err as Error).message.split("\n")[0]}); keeping the ${previous.length} operations already in ${path.basename(file)}`,
    );
    return previous;
  }
}

/**
 * Operations kept even without a handler: the codec and admin tests exercise them (an
 * operation in the model but without a handler answers InvalidAction / not implemented).
 */
const CODEC_OPERATIONS: Record<ServiceName, string[]> = {
  ec2: [
    "DescribeAvailabilityZones",
    "DescribeVpcs",
    "CreateVpc",
    "CreateTags",
    "DescribeInstances",
    "RunInstances",
    "DescribeSecurityGroups",
  ],
  autoscaling: ["DescribeAutoScalingGroups", "CreateAutoScalingGroup", "DescribeScalingActivities"],
  elasticloadbalancing: ["DescribeLoadBalancers", "CreateLoadBalancer", "DescribeTargetHealth", "CreateRule"],
  rds: ["DescribeDBInstances", "CreateDBInstance", "AddTagsToResource"],
  elasticache: [],
  monitoring: ["PutMetricData", "GetMetricData", "GetMetricStatistics", "DescribeAlarms", "PutMetricAlarm", "DeleteAlarms", "ListMetrics"],
  cloudfront: [
    "CreateDistribution",
    "GetDistribution",
    "GetDistributionConfig",
    "UpdateDistribution",
    "DeleteDistribution",
    "ListDistributions",
    "TagResource",
    "ListTagsForResource",
  ],
  secretsmanager: [],
  ssm: [],
  sts: [],
  iam: [],
};

/**
 * CloudWatch: botocore's model here is the query form (awscli 2.9 sends it), while SDK v3 sends
 * awsJson1_0 with awsQueryCompatible errors. The shapes are the same; the JSON facts are added.
 */
const METADATA_EXTRAS: Partial<Record<ServiceName, Record<string, unknown>>> = {
  monitoring: { jsonVersion: "1.0", targetPrefix: "GraniteServiceVersion20100801", awsQueryCompatible: {}, protocols: ["json", "query"] },
};

/**
 * Operations newer than awscli 2.9's models, which SDK v3 and boto3 call (Terraform's AWS
 * provider reads listener attributes). They come from the newer botocore that boto3 brings
 * (pip; BOTOCORE_NEWER_DATA overrides), else from the committed model; their shapes are added
 * only where the older model lacks them, so the rest of the model does not change.
 */
const NEWER_OPERATIONS: Partial<Record<ServiceName, string[]>> = {
  elasticloadbalancing: ["DescribeListenerAttributes", "ModifyListenerAttributes"],
};

interface RawOperation {
  input?: { shape: string };
  output?: { shape: string };
  errors?: Array<{ shape: string }>;
}

interface RawModel {
  operations: Record<string, RawOperation>;
  shapes: Record<string, unknown>;
}

function newerBotocoreData(): string | undefined {
  if (process.env.BOTOCORE_NEWER_DATA) return process.env.BOTOCORE_NEWER_DATA;
  try {
    const dir = execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], {
      encoding: "utf8",
    }).trim();
    return path.join(dir, "data");
  } catch {
    return undefined;
  }
}

function readServiceModel(dir: string, folder: string, version: string): RawModel | undefined {
  const file = path.join(dir, folder, version, "service-2.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  if (existsSync(`${file}.gz`)) return JSON.parse(gunzipSync(readFileSync(`${file}.gz`)).toString("utf8"));
  return undefined;
}

/** Copy `ops` (and the shapes they reach that `full` lacks) from `newer` into `full`. */
function addNewerOperations(full: RawModel, newer: RawModel | undefined, ops: string[]): string[] {
  const added: string[] = [];
  for (const op of ops) {
    if (full.operations[op] || !newer?.operations?.[op]) continue;
    full.operations[op] = newer.operations[op];
    const o = newer.operations[op];
    const roots = [o.input?.shape, o.output?.shape, ...(o.errors ?? []).map((e) => e.shape)].filter((r): r is string => Boolean(r));
    for (const name of shapeClosure(newer.shapes, roots)) full.shapes[name] ??= newer.shapes[name];
    added.push(op);
  }
  return added;
}

function parseExtra(argv: string[]): Map<ServiceName, string[]> {
  const extra = new Map<ServiceName, string[]>();
  const i = argv.indexOf("--extra");
  if (i < 0) return extra;
  for (const item of (argv[i + 1] ?? "").split(",").filter(Boolean)) {
    const [svc, op] = item.split(":") as [ServiceName, string];
    extra.set(svc, [...(extra.get(svc) ?? []), op]);
  }
  return extra;
}

function stripDocs(value: any): any {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "documentation" || k === "documentationUrl" || k === "examples") continue;
      out[k] = stripDocs(v);
    }
    return out;
  }
  return value;
}

function shapeClosure(shapes: Record<string, any>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const shape = shapes[name];
    if (!shape) throw new Error(`shape ${name} missing from the model`);
    seen.add(name);
    if (shape.type === "structure") for (const m of Object.values<any>(shape.members ?? {})) stack.push(m.shape);
    if (shape.type === "list") stack.push(shape.member.shape);
    if (shape.type === "map") stack.push(shape.key.shape, shape.value.shape);
  }
  return seen;
}

export function trimModel(full: any, operationNames: string[]): any {
  const operations: Record<string, any> = {};
  const roots: string[] = [];
  for (const name of [...new Set(operationNames)].sort()) {
    const op = full.operations[name];
    if (!op) throw new Error(`operation ${name} is not in ${full.metadata.uid}`);
    operations[name] = stripDocs(op);
    if (op.input) roots.push(op.input.shape);
    if (op.output) roots.push(op.output.shape);
    for (const e of op.errors ?? []) roots.push(e.shape);
  }
  const shapes: Record<string, any> = {};
  for (const name of [...shapeClosure(full.shapes, roots)].sort()) shapes[name] = stripDocs(full.shapes[name]);
  return { version: full.version ?? "2.0", metadata: full.metadata, operations, shapes };
}

async function main() {
  const extra = parseExtra(process.argv.slice(2));
  mkdirSync(MODELS_DIR, { recursive: true });
  for (const [name, src] of Object.entries(SOURCES) as Array<[ServiceName, (typeof SOURCES)[ServiceName]]>) {
    const full = JSON.parse(readFileSync(path.join(BOTOCORE_DATA, src.folder, src.version, "service-2.json"), "utf8"));
    const newerOps = NEWER_OPERATIONS[name] ?? [];
    if (newerOps.length) {
      const newerDir = newerBotocoreData();
      let added =
        newerDir && newerDir !== BOTOCORE_DATA
          ? addNewerOperations(full, readServiceModel(newerDir, src.folder, src.version), newerOps)
          : [];
      const committed = path.join(MODELS_DIR, `${name}.json`);
      if (added.length < newerOps.length && existsSync(committed))
        added = [...added, ...addNewerOperations(full, JSON.parse(readFileSync(committed, "utf8")), newerOps)];
      if (added.length) console.log(`${name}: ${added.join(", ")} from a newer botocore model`);
    }
    const handled = await handledOperations(name, src.serviceDir);
    const unknown = handled.filter((op) => !full.operations[op]);
    if (unknown.length) console.warn(`${name}: handlers for operations not in the AWS model (ignored): ${unknown.join(", ")}`);
    const ops = [...handled.filter((op) => full.operations[op]), ...CODEC_OPERATIONS[name], ...(extra.get(name) ?? [])];
    const trimmed = trimModel(full, ops);
    trimmed.metadata = { ...trimmed.metadata, ...(METADATA_EXTRAS[name] ?? {}) };
    const file = path.join(MODELS_DIR, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(trimmed, null, 1)}\n`);
    console.log(
      `${name}: ${Object.keys(trimmed.operations).length} operations, ${Object.keys(trimmed.shapes).length} shapes -> ${path.relative(process.cwd(), file)}`,
    );
  }
}

await main();
