import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * docs/aws-iam-policy.json must grant every AWS call the app makes, and nothing it does not
 * make (least privilege): the calls are read from the source (`new XCommand(`), the service
 * of each command from server/aws/sdk.ts.
 */
const root = path.resolve(import.meta.dirname, "../..");
const PREFIX: Record<string, string> = {
  "client-ec2": "ec2",
  "client-auto-scaling": "autoscaling",
  "client-elastic-load-balancing-v2": "elasticloadbalancing",
  "client-rds": "rds",
  "client-elasticache": "elasticache",
  "client-cloudwatch": "cloudwatch",
  "client-cloudfront": "cloudfront",
  "client-iam": "iam",
  "client-ssm": "ssm",
};
/** Calls that need more than their own action (tags sent on create, RDS-managed secrets...). */
const EXTRA: Record<string, string[]> = {
  "cloudfront:CreateDistributionWithTags": ["cloudfront:CreateDistribution", "cloudfront:TagResource"],
  "elasticloadbalancing:CreateLoadBalancer": ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:AddTags"],
  "elasticloadbalancing:CreateRule": ["elasticloadbalancing:CreateRule", "elasticloadbalancing:AddTags"],
  "autoscaling:CreateAutoScalingGroup": [
    "autoscaling:CreateAutoScalingGroup",
    "autoscaling:CreateOrUpdateTags",
    "ec2:RunInstances",
    "iam:CreateServiceLinkedRole",
    "iam:PassRole",
  ],
  // RDS-managed master passwords: RDS creates the secret as the caller, with the default key.
  "rds:CreateDBInstance": [
    "rds:CreateDBInstance",
    "rds:AddTagsToResource",
    "secretsmanager:CreateSecret",
    "secretsmanager:TagResource",
    "kms:DescribeKey",
  ],
  // The final snapshot is created as the caller.
  "rds:DeleteDBInstance": ["rds:DeleteDBInstance", "rds:CreateDBSnapshot"],
  // Tags sent on create are added as the caller; ElastiCache's service-linked role is made on first use.
  "elasticache:CreateReplicationGroup": [
    "elasticache:CreateReplicationGroup",
    "elasticache:AddTagsToResource",
    "iam:CreateServiceLinkedRole",
  ],
  "elasticache:CreateCacheSubnetGroup": ["elasticache:CreateCacheSubnetGroup", "elasticache:AddTagsToResource"],
  "cloudwatch:PutMetricAlarm": ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
  "ec2:CreateVpc": ["ec2:CreateVpc", "ec2:CreateTags"],
  // A launch template with an instance profile passes its role.
  "ec2:CreateLaunchTemplate": ["ec2:CreateLaunchTemplate", "ec2:CreateTags", "iam:PassRole"],
  "ec2:CreateLaunchTemplateVersion": ["ec2:CreateLaunchTemplateVersion", "iam:PassRole"],
  "iam:CreateRole": ["iam:CreateRole", "iam:TagRole"],
  "iam:CreateInstanceProfile": ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"],
  "ssm:PutParameter": ["ssm:PutParameter", "ssm:AddTagsToResource"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$|test-helpers\.ts$/.test(e.name) ? [p] : [];
  });
}

function commandServices(): Map<string, string> {
  const sdk = readFileSync(path.join(root, "server/aws/sdk.ts"), "utf8");
  // The name the app writes (an alias such as ListAlarmTagsCommand) -> "<service>:<Operation>".
  const out = new Map<string, string>();
  for (const m of sdk.matchAll(/export \{([^}]*)\} from "@aws-sdk\/([\w-]+)"/g)) {
    for (const entry of m[1]
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [original, alias = original] = entry.split(/\s+as\s+/);
      if (original.endsWith("Command")) out.set(alias, `${PREFIX[m[2]]}:${original.slice(0, -"Command".length)}`);
    }
  }
  return out;
}

describe("docs/aws-iam-policy.json", () => {
  const policy = JSON.parse(readFileSync(path.join(root, "docs/aws-iam-policy.json"), "utf8")) as {
    Statement: Array<{ Sid: string; Action: string[] }>;
  };
  const granted = new Set(policy.Statement.flatMap((s) => s.Action));
  const services = commandServices();
  const used = new Set<string>();
  for (const file of sourceFiles(path.join(root, "server"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/new (\w+)Command\(/g)) {
      const action = services.get(`${m[1]}Command`);
      if (action) used.add(action);
    }
    // The SDK's paginators (paginateGetMetricData(...)) make the operation's calls too.
    for (const m of text.matchAll(/import \{([^}]*)\} from "@aws-sdk\/([\w-]+)"/g)) {
      for (const name of m[1].matchAll(/paginate(\w+)/g)) {
        if (new RegExp(`paginate${name[1]}\\(`).test(text)) used.add(`${PREFIX[m[2]]}:${name[1]}`);
      }
    }
  }

  it("grants every call the app makes", () => {
    expect(used.size).toBeGreaterThan(50);
    const needed = [...used].flatMap((a) => EXTRA[a] ?? [a]);
    expect(needed.filter((a) => !granted.has(a))).toEqual([]);
  });

  it("grants nothing the app does not call", () => {
    const needed = new Set([...used].flatMap((a) => EXTRA[a] ?? [a]));
    expect([...granted].filter((a) => !needed.has(a) && !Object.values(EXTRA).flat().includes(a))).toEqual([]);
  });

  it("names each statement", () => {
    expect(policy.Statement.every((s) => /^[A-Za-z0-9]+$/.test(s.Sid))).toBe(true);
  });
});
