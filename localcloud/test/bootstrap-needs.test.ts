/**
 * Reading a user-data script for what it needs from the network and the instance's role
 * (src/sim/bootstrap/needs.ts): no cloud, just the parser.
 */
import { describe, expect, it } from "vitest";
import { parseNeeds, urlNeed, type Need } from "../src/sim/bootstrap/needs.ts";

const ctx = { region: "us-east-1", accountId: "000000000000" };
const needs = (script: string) => parseNeeds(script, ctx).needs;
const brief = (n: Need) => ({ tool: n.tool, network: n.network, action: n.permission?.action, resource: n.permission?.resource });

describe("parseNeeds", () => {
  it("finds nothing in a script that only starts the app", () => {
    const parsed = parseNeeds(
      "#!/bin/bash\nexport APP_VERSION=v2\n# localcloud: boot_seconds=20\necho starting app\nnohup node server.js > /var/log/app.log 2>&1 &\n",
      ctx,
    );
    expect(parsed.needs).toEqual([]);
    expect(parsed.exitsOnError).toBe(false);
  });

  it("reads package installs as S3 (the AL2023 repositories), in every spelling", () => {
    const found = needs(
      "#!/bin/bash\nsudo dnf install -y nginx\nyum -y update\ndnf remove -y foo\nmicrodnf makecache\namazon-linux-extras install epel\n",
    );
    expect(found.map((n) => [n.line, n.tool, n.network.kind])).toEqual([
      [2, "dnf", "s3"],
      [3, "yum", "s3"],
      [5, "microdnf", "s3"],
      [6, "amazon-linux-extras", "s3"],
    ]);
  });

  it("tells S3 hosts, AWS endpoints, the metadata service and the internet apart for curl and wget", () => {
    const found = needs(
      [
        "curl -fsSL https://my-bucket.s3.amazonaws.com/app.tgz -o /tmp/app.tgz",
        "wget https://s3.us-east-1.amazonaws.com/bucket/key",
        "curl -s https://secretsmanager.us-east-1.amazonaws.com/",
        "curl -s http://169.254.169.254/latest/meta-data/instance-id",
        "curl -fsSL https://rpm.nodesource.com/setup_20.x | bash -",
        "curl https://sts.eu-west-1.amazonaws.com/",
      ].join("\n"),
    );
    expect(found.map((n) => n.network)).toEqual([
      { kind: "s3" },
      { kind: "s3" },
      { kind: "service", service: "secretsmanager" },
      { kind: "internet" },
      { kind: "internet" },
    ]);
    expect(urlNeed("https://al2023-repos-us-east-1-de612dc2.s3.dualstack.us-east-1.amazonaws.com/core/", "us-east-1")).toEqual({
      kind: "s3",
    });
  });

  it("reads pip and npm as the internet", () => {
    const found = needs(
      "pip3 install flask\npython3 -m pip install -r requirements.txt\ncd /opt/app && npm ci --omit=dev\nnpm i -g pm2\nnpm run build\n",
    );
    expect(found.map((n) => [n.tool, n.network.kind])).toEqual([
      ["pip install", "internet"],
      ["pip install", "internet"],
      ["npm ci", "internet"],
      ["npm i", "internet"],
    ]);
  });

  it("reads aws s3 with the object's permission: GetObject down, PutObject up, ListBucket for ls and sync", () => {
    const found = needs(
      [
        'aws s3 cp "s3://my-artifacts/shop/app-v2.tgz" app.tgz && tar xzf app.tgz',
        "aws s3 cp /var/log/app.log s3://my-logs/shop/",
        "aws s3 sync s3://my-assets/static /var/www --delete",
        "aws s3 ls s3://my-assets",
      ].join("\n"),
    );
    expect(found.map(brief)).toEqual([
      { tool: "aws s3 cp", network: { kind: "s3" }, action: "s3:GetObject", resource: "arn:aws:s3:::my-artifacts/shop/app-v2.tgz" },
      { tool: "aws s3 cp", network: { kind: "s3" }, action: "s3:PutObject", resource: "arn:aws:s3:::my-logs/shop/" },
      { tool: "aws s3 sync", network: { kind: "s3" }, action: "s3:ListBucket", resource: "arn:aws:s3:::my-assets" },
      { tool: "aws s3 ls", network: { kind: "s3" }, action: "s3:ListBucket", resource: "arn:aws:s3:::my-assets" },
    ]);
  });

  it("reads secrets and parameters with their ARNs and that they must exist", () => {
    const found = needs(
      [
        "DB_SECRET=$(aws secretsmanager get-secret-value --secret-id shop/db --query SecretString --output text)",
        "aws ssm get-parameter --name /shop/db-host --with-decryption",
        "aws ssm get-parameters --names /shop/a /shop/b --region us-east-1",
      ].join("\n"),
    );
    expect(found.map(brief)).toEqual([
      {
        tool: "aws secretsmanager get-secret-value",
        network: { kind: "service", service: "secretsmanager" },
        action: "secretsmanager:GetSecretValue",
        resource: "arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/db",
      },
      {
        tool: "aws ssm get-parameter",
        network: { kind: "service", service: "ssm" },
        action: "ssm:GetParameter",
        resource: "arn:aws:ssm:us-east-1:000000000000:parameter/shop/db-host",
      },
      {
        tool: "aws ssm get-parameters",
        network: { kind: "service", service: "ssm" },
        action: "ssm:GetParameters",
        resource: "arn:aws:ssm:us-east-1:000000000000:parameter/shop/a",
      },
      {
        tool: "aws ssm get-parameters",
        network: { kind: "service", service: "ssm" },
        action: "ssm:GetParameters",
        resource: "arn:aws:ssm:us-east-1:000000000000:parameter/shop/b",
      },
    ]);
    expect(found[0].mustExist).toEqual({ kind: "secret", id: "shop/db", region: "us-east-1" });
  });

  it("maps other aws commands to the service and its PascalCase action, with CLI names that differ", () => {
    const found = needs(
      "aws --region us-east-1 ec2 describe-tags --filters Name=resource-id,Values=i-1\naws elbv2 describe-target-health --target-group-arn x\naws ecr get-login-password | docker login --password-stdin x\naws configure set region us-east-1\n",
    );
    expect(found.map(brief)).toEqual([
      { tool: "aws ec2 describe-tags", network: { kind: "service", service: "ec2" }, action: "ec2:DescribeTags", resource: "*" },
      {
        tool: "aws elbv2 describe-target-health",
        network: { kind: "service", service: "elasticloadbalancing" },
        action: "elasticloadbalancing:DescribeTargetHealth",
        resource: "*",
      },
      {
        tool: "aws ecr get-login-password",
        network: { kind: "service", service: "ecr.api" },
        action: "ecr:GetAuthorizationToken",
        resource: "*",
      },
    ]);
  });

  it("resolves plain variables, and leaves run-time values unchecked (network only)", () => {
    const parsed = parseNeeds(
      [
        "#!/bin/bash",
        "set -euo pipefail",
        "export AWS_DEFAULT_REGION=us-east-1 APP_ENVIRONMENT=shop",
        "BUCKET=my-artifacts",
        'aws s3 cp "s3://${BUCKET}/$APP_ENVIRONMENT/app.tgz" app.tgz',
        'param() { aws ssm get-parameter --name "/switchyard/shop/$1" --query Parameter.Value --output text; }',
        "DB_SECRET_ARN=$(param db/secret-arn)",
        'if [ "$DB_SECRET_ARN" != none ]; then',
        '  DB_SECRET=$(aws secretsmanager get-secret-value --secret-id "$DB_SECRET_ARN" --query SecretString --output text)',
        "fi",
      ].join("\n"),
      ctx,
    );
    expect(parsed.exitsOnError).toBe(true);
    expect(parsed.needs.map((n) => [n.line, n.tool, n.permission?.resource, n.mustExist])).toEqual([
      [5, "aws s3 cp", "arn:aws:s3:::my-artifacts/shop/app.tgz", undefined],
      [6, "aws ssm get-parameter", undefined, undefined],
      [9, "aws secretsmanager get-secret-value", undefined, undefined],
    ]);
  });

  it("reads `# localcloud: needs=` directives and joins continuation lines", () => {
    const parsed = parseNeeds(
      "#!/bin/bash -e\n# localcloud: boot_seconds=5 needs=s3,secretsmanager,internet\ncurl -fsSL \\\n  https://example.com/install.sh -o /tmp/i.sh # fetch the installer\n",
      ctx,
    );
    expect(parsed.exitsOnError).toBe(true);
    expect(parsed.needs.map((n) => [n.line, n.tool, n.network])).toEqual([
      [2, "localcloud needs=s3", { kind: "s3" }],
      [2, "localcloud needs=secretsmanager", { kind: "service", service: "secretsmanager" }],
      [2, "localcloud needs=internet", { kind: "internet" }],
      [3, "curl", { kind: "internet" }],
    ]);
    expect(parsed.lines.find((l) => l.line === 3)?.text).toBe("curl -fsSL https://example.com/install.sh -o /tmp/i.sh");
  });

  it("ignores quoted look-alikes and comments", () => {
    expect(needs("echo 'dnf install -y nginx'\n# dnf install -y nginx\nlogger \"run aws s3 cp later\"\n")).toEqual([]);
  });
});
