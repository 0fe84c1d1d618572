/**
 * Run Debian's awscli (`/usr/bin/aws`, botocore 2.9 models) and boto3 (the image's pip boto3,
 * newer botocore) against a local cloud, so tests prove the wire formats with clients other than
 * SDK v3. Both run without any user config or credentials files. This is the one process runner
 * of the local cloud's tests: the STS/IAM and EC2 helpers build on it.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const AWS_CLI = "/usr/bin/aws";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const STATIC: Credentials = { accessKeyId: "test", secretAccessKey: "test" };

const BASE_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? "/tmp",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs `cmd` with the clean AWS environment (no config files, us-east-1, no pager) plus `env`. */
export function runCommand(cmd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...BASE_ENV, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
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

export const hasAwsCli = () => existsSync(AWS_CLI);

/** `aws <args> --endpoint-url <url> --output json`, as `credentials` (test/test by default), with `env` added (AWS_MAX_ATTEMPTS, ...). */
export function awsCli(
  url: string,
  args: string[],
  credentials: Credentials = STATIC,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return runCommand(AWS_CLI, [...args, "--endpoint-url", url, "--output", "json"], { ...credentialEnv(credentials), ...env });
}

/** Like awsCli, but throws with stderr when the command fails; returns the parsed JSON. */
export async function awsCliOk<T = Record<string, unknown>>(url: string, args: string[]): Promise<T> {
  const r = await awsCli(url, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.json as T;
}

let boto3Missing: string | null | undefined;

/** null when `import boto3` works, else why not (callers skip their boto3 checks with that message). */
export function whyNoBoto3(): string | null {
  if (boto3Missing === undefined) {
    try {
      execFileSync("python3", ["-c", "import boto3"], { stdio: "pipe", timeout: 30_000 });
      boto3Missing = null;
    } catch (err) {
      boto3Missing = `boto3 is not importable by python3 (${(err as Error).message.split("\n")[0]}): skipping the boto3 checks`;
      console.warn(boto3Missing);
    }
  }
  return boto3Missing;
}

/** Whether `import boto3` works (tests using it are skipped with a message when not). */
export const hasBoto3 = () => whyNoBoto3() === null;

/** Runs a Python script (boto3 reads no config files); throws with stderr unless it exits 0. */
export async function runPython(script: string): Promise<CliResult> {
  const r = await runCommand("python3", ["-c", script]);
  if (r.code !== 0) throw new Error(`boto3 script failed (${r.code}): ${r.stderr}`);
  return r;
}

/**
 * Run a Python snippet with `client(name, creds=None)` (a boto3 client on the local cloud; creds
 * a dict with AccessKeyId/SecretAccessKey/SessionToken as STS returns them) and `out(value)`
 * (prints JSON) defined; `call(fn, **kw)` returns {"error": code, "status": n, "message": ...}
 * instead of raising on a ClientError. Returns what out() printed, parsed.
 */
export async function boto3<T = Record<string, unknown>>(url: string, body: string): Promise<T> {
  const script = [
    "import json, boto3, botocore",
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
  return (await runPython(script)).json as T;
}
