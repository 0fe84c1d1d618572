/**
 * Debian's awscli (/usr/bin/aws, botocore's own parsers) and boto3 (`python3 -c`) against a
 * test cloud, for the EC2 networking tests: proof the wire shapes are what botocore expects,
 * not just what SDK v3 tolerates. boto3 tests skip with a message when `import boto3` fails.
 * Both run through the shared runner (cli-runners.ts).
 */
import { awsCli, awsCliOk, runPython, whyNoBoto3 } from "./cli-runners.ts";

// These names are what the EC2 tests use.
export { hasAwsCli, type CliResult } from "./cli-runners.ts";
export const aws = awsCli;
export const awsOk = awsCliOk;
/** null when boto3 imports, else why not (the caller skips with that message). */
export const boto3Missing = whyNoBoto3;

/**
 * Runs a Python body with `ec2` (a boto3 EC2 client on the test cloud) in scope; the body sets
 * `out` to something JSON-serialisable. A ClientError becomes {"error": code, "message": ...}.
 */
export async function boto3(url: string, body: string): Promise<Record<string, unknown>> {
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
  return (await runPython(script)).json as Record<string, unknown>;
}
