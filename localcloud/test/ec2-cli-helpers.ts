/**
 * Debian's awscli (/usr/bin/aws, botocore's own parsers) and boto3 (`python3 -c`) against a
 * test cloud, for the EC2 networking tests: proof the wire shapes are what botocore expects,
 * not just what SDK v3 tolerates. boto3 tests skip with a message when `import boto3` fails.
 */
import { execFile, execFileSync } from "node:child_process";
import { awsCli, awsCliOk } from "./cli-runners.ts";

// The awscli runner is the shared one (cli-runners.ts); these names are what the EC2 tests use.
export { hasAwsCli, type CliResult } from "./cli-runners.ts";
export const aws = awsCli;
export const awsOk = awsCliOk;

let boto3Checked: string | null | undefined;

/** null when boto3 imports, else why not (the caller skips with that message). */
export function boto3Missing(): string | null {
  if (boto3Checked === undefined) {
    try {
      execFileSync("python3", ["-c", "import boto3"], { env: { ...process.env }, stdio: "pipe", timeout: 30_000 });
      boto3Checked = null;
    } catch (err) {
      boto3Checked = `boto3 is not importable by python3 (${(err as Error).message.split("\n")[0]}): skipping the boto3 checks`;
    }
  }
  return boto3Checked;
}

/**
 * Runs a Python body with `ec2` (a boto3 EC2 client on the test cloud) in scope; the body sets
 * `out` to something JSON-serialisable. A ClientError becomes {"error": code, "message": ...}.
 */
export function boto3(url: string, body: string): Promise<Record<string, unknown>> {
  const script = [
    "import json, boto3, botocore.exceptions",
    `ec2 = boto3.client("ec2", endpoint_url=${JSON.stringify(url)}, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")`,
    "out = None",
    "try:",
    ...body.split("\n").map((line) => `    ${line}`),
    "except botocore.exceptions.ClientError as e:",
    '    out = {"error": e.response["Error"]["Code"], "message": e.response["Error"].get("Message", "")}',
    "print(json.dumps(out, default=str))",
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile(
      "python3",
      ["-c", script],
      { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`python3 failed: ${stderr || err.message}`));
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      },
    );
  });
}
