/**
 * Would this instance's user data get what it needs? For each need, in script order, the checks
 * AWS would make, in the order a real run meets them:
 *   1. an `aws` call first needs credentials: no instance profile, no credentials;
 *   2. the network path (EC2's pathOut: route table, NAT / internet gateway, endpoints, security groups);
 *   3. the role's permission (IAM's instanceProfileAllows), when the resource is known before run time;
 *   4. the secret or parameter must exist (Secrets Manager / SSM would answer NotFound).
 * S3 objects are not checked for existence: the local cloud has no S3, so path + permission is
 * all that can be known. With `set -e` the script stops at the first failure; without it the
 * later lines still run (and may fail too), but the app never comes up either way.
 */
import type { CloudApi } from "../../core/types.ts";
import { instanceUserData } from "../../services/ec2/api.ts";
import { pathOut } from "../../services/ec2/reachability.ts";
import { ec2State, type InstanceRecord } from "../../services/ec2/state.ts";
import { instanceProfileAllows } from "../../services/iam/evaluate.ts";
import { smState } from "../../services/secretsmanager/state.ts";
import { paramKey, ssmState } from "../../services/ssm/state.ts";
import { parseNeeds, type NetworkNeed, type Need, type ParsedUserData } from "./needs.ts";

export type FailureKind = "network" | "credentials" | "permission" | "missing";

export interface NeedOutcome {
  need: Need;
  ok: boolean;
  /** How it was met (the path taken) or, when not, why. */
  detail: string;
  failure?: FailureKind;
}

export interface BootstrapResult {
  ok: boolean;
  parsed: ParsedUserData;
  /** One per need evaluated, in script order (with `set -e`, none after the first failure). */
  outcomes: NeedOutcome[];
  /** The instance profile (ARN or name) the instance runs with, if any. */
  profile?: string;
}

interface ProfileRef {
  Arn?: string;
  Name?: string;
}

/**
 * The instance profile an instance runs with: the one RunInstances named (kept by EC2 on the
 * record, or remembered at launch by `launchProfile`), else its launch template version's.
 */
export function instanceProfileOf(cloud: CloudApi, instance: InstanceRecord, launchProfile?: string): string | undefined {
  const own = (instance as InstanceRecord & { IamInstanceProfile?: ProfileRef }).IamInstanceProfile;
  if (own?.Arn || own?.Name) return own.Arn ?? own.Name;
  if (launchProfile) return launchProfile;
  const ref = instance.LaunchTemplate;
  if (!ref) return undefined;
  const template = ec2State(cloud).launchTemplates[ref.LaunchTemplateId];
  const version = template?.Versions.find((v) => String(v.VersionNumber) === ref.Version);
  const fromTemplate = (version?.LaunchTemplateData as { IamInstanceProfile?: ProfileRef } | undefined)?.IamInstanceProfile;
  return fromTemplate?.Arn ?? fromTemplate?.Name;
}

const describe = (n: NetworkNeed) => (n.kind === "service" ? n.service : n.kind === "s3" ? "S3" : "the internet");

/** The secret's ARN when it exists (by ARN, partial ARN or name, in its region, not deleted). */
function findSecretArn(cloud: CloudApi, id: string, region: string): string | undefined {
  for (const s of Object.values(smState(cloud).secrets)) {
    if (s.region !== region || s.deletedAt !== undefined) continue;
    if (s.arn === id || s.name === id || (id.startsWith("arn:") && s.arn.startsWith(`${id}-`))) return s.arn;
  }
  return undefined;
}

function parameterExists(cloud: CloudApi, id: string, region: string): boolean {
  const name = id.startsWith("arn:") ? id.slice(id.indexOf(":parameter") + ":parameter".length) : id;
  // AWS's public parameters (latest AMI ids...) always exist.
  if (name.startsWith("/aws/")) return true;
  const parameters = ssmState(cloud).parameters;
  return !!(parameters[paramKey(region, name)] ?? parameters[paramKey(region, name.replace(/^\//, ""))]);
}

function checkNeed(
  cloud: CloudApi,
  instance: InstanceRecord,
  need: Need,
  profile: string | undefined,
  paths: Map<string, ReturnType<typeof pathOut>>,
): NeedOutcome {
  if (need.permission && !profile) {
    return {
      need,
      ok: false,
      failure: "credentials",
      detail: instanceProfileAllows(cloud, undefined, need.permission.action, need.permission.resource ?? "*").reason,
    };
  }
  const key = JSON.stringify(need.network);
  let path = paths.get(key);
  if (!path) paths.set(key, (path = pathOut(cloud, instance.InstanceId, need.network)));
  if (!path.ok) return { need, ok: false, failure: "network", detail: path.reason };
  let resource = need.permission?.resource;
  const secretArn = need.mustExist?.kind === "secret" ? findSecretArn(cloud, need.mustExist.id, need.mustExist.region) : undefined;
  // IAM sees the secret's full ARN (with AWS's random suffix), which is what policies are written against.
  if (secretArn) resource = secretArn;
  // GetCallerIdentity needs no permission: AWS answers it for any credentials.
  if (need.permission && resource !== undefined && need.permission.action !== "sts:GetCallerIdentity") {
    const allowed = instanceProfileAllows(cloud, profile, need.permission.action, resource);
    if (!allowed.allowed) return { need, ok: false, failure: "permission", detail: allowed.reason };
  }
  if (need.mustExist?.kind === "secret" && !secretArn)
    return { need, ok: false, failure: "missing", detail: "Secrets Manager can't find the specified secret." };
  if (need.mustExist?.kind === "parameter" && !parameterExists(cloud, need.mustExist.id, need.mustExist.region)) {
    return { need, ok: false, failure: "missing", detail: `Parameter ${need.mustExist.id} not found.` };
  }
  const permission = need.permission
    ? resource === undefined
      ? `; ${need.permission.action} not checked (resource known at run time)`
      : `; ${need.permission.action} allowed`
    : "";
  return { need, ok: true, detail: `${describe(need.network)} via ${path.via}${permission}` };
}

/** Evaluate the instance's user data now (network and IAM as they are at this instant). */
export function evaluateBootstrap(cloud: CloudApi, instance: InstanceRecord, launchProfile?: string): BootstrapResult {
  const parsed = parseNeeds(instanceUserData(instance), { region: instance.region, accountId: cloud.accountId });
  const profile = instanceProfileOf(cloud, instance, launchProfile);
  const outcomes: NeedOutcome[] = [];
  const paths = new Map<string, ReturnType<typeof pathOut>>();
  for (const need of parsed.needs) {
    const outcome = checkNeed(cloud, instance, need, profile, paths);
    outcomes.push(outcome);
    if (!outcome.ok && parsed.exitsOnError) break;
  }
  return { ok: outcomes.every((o) => o.ok), parsed, outcomes, profile };
}
