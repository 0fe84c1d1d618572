/**
 * Helpers for the STS / IAM / enforcement tests: SDK clients with any credentials, Debian's
 * awscli and boto3 with temporary credentials (session token), and the policy documents the
 * tests attach.
 */
import { execFile, execFileSync } from "node:child_process";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { clientConfig } from "./helpers.ts";

export const ACCOUNT = "000000000000";
export const AWS_CLI = "/usr/bin/aws";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function stsClient(url: string, credentials?: Credentials): STSClient {
  return new STSClient({ ...clientConfig(url), ...(credentials ? { credentials } : {}) });
}

export function iamClient(url: string, credentials?: Credentials): IAMClient {
  return new IAMClient({ ...clientConfig(url), ...(credentials ? { credentials } : {}) });
}

export const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** A trust policy letting the account (its root, so its identities with permission) assume the role, optionally only with an ExternalId. */
export function accountTrust(externalId?: string): string {
  return policy({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: "sts:AssumeRole",
    ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
  });
}

export const EC2_TRUST = policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const base = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_PAGER: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...base, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

function credentialEnv(c: Credentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}),
  };
}

const STATIC: Credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** `/usr/bin/aws <args> --endpoint-url <url> --output json` with the given credentials. */
export function awsCli(url: string, args: string[], credentials: Credentials = STATIC): Promise<CliResult> {
  return run(AWS_CLI, [...args, "--endpoint-url", url, "--output", "json"], credentialEnv(credentials));
}

let boto3Available: boolean | undefined;

/** Whether `import boto3` works; tests using it are skipped with a message when not. */
export function hasBoto3(): boolean {
  if (boto3Available === undefined) {
    try {
      execFileSync("python3", ["-c", "import boto3"], { stdio: "ignore" });
      boto3Available = true;
    } catch {
      boto3Available = false;
      console.warn("boto3 checks skipped: `python3 -c 'import boto3'` failed on this machine");
    }
  }
  return boto3Available;
}

/**
 * Run a Python snippet with `client(name, creds=None)` (boto3 on the local cloud; creds a dict
 * with AccessKeyId/SecretAccessKey/SessionToken as STS returns them), `out(value)` (prints JSON)
 * and `call(fn, **kw)` (returns {"error", "status", "message"} instead of raising ClientError).
 */
export async function boto3<T>(url: string, body: string): Promise<T> {
  const script = [
    "import json, boto3",
    "from botocore.exceptions import ClientError",
    "def client(name, creds=None):",
    "    c = creds or {'AccessKeyId': 'test', 'SecretAccessKey': 'test', 'SessionToken': None}",
    `    return boto3.client(name, endpoint_url=${JSON.stringify(url)}, region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c.get('SessionToken'))`,
    "def out(v): print(json.dumps(v, default=str))",
    "def call(fn, **kw):",
    "    try:",
    "        r = fn(**kw); r.pop('ResponseMetadata', None); return r",
    "    except ClientError as e:",
    "        return {'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'message': e.response['Error'].get('Message', '')}",
    body,
  ].join("\n");
  const r = await run("python3", ["-c", script], {});
  if (r.code !== 0) throw new Error(`boto3 script failed (${r.code}): ${r.stderr}`);
  return r.json as T;
}
