/**
 * Run Debian's awscli (`/usr/bin/aws`, botocore 2.9 models) and boto3 (the image's pip boto3,
 * newer botocore) against a local cloud, so tests prove the wire formats with clients other than
 * SDK v3. Both run without any user config or credentials files.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const AWS_CLI = "/usr/bin/aws";

const BASE_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? "/tmp",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
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

function run(cmd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
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

export const hasAwsCli = () => existsSync(AWS_CLI);

/** `aws <args> --endpoint-url <url> --output json`. */
export function awsCli(url: string, args: string[]): Promise<CliResult> {
  return run(AWS_CLI, [...args, "--endpoint-url", url, "--output", "json"], {});
}

/** Like awsCli, but throws with stderr when the command fails; returns the parsed JSON. */
export async function awsCliOk<T = Record<string, unknown>>(url: string, args: string[]): Promise<T> {
  const r = await awsCli(url, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.json as T;
}

let boto3Checked: boolean | undefined;

/** Whether `import boto3` works (tests using it are skipped with a message when not). */
export function hasBoto3(): boolean {
  if (boto3Checked === undefined) {
    try {
      execFileSync("python3", ["-c", "import boto3"], { stdio: "ignore" });
      boto3Checked = true;
    } catch {
      boto3Checked = false;
      console.warn("boto3 tests skipped: `python3 -c 'import boto3'` failed on this machine");
    }
  }
  return boto3Checked;
}

/**
 * Run a Python snippet with `client(name)` (a boto3 client on the local cloud) and `out(value)`
 * (prints JSON) defined; `call(fn, **kw)` returns {"error": code, "status": n} instead of raising
 * on a ClientError. Returns what out() printed, parsed.
 */
export async function boto3<T = Record<string, unknown>>(url: string, body: string): Promise<T> {
  const script = [
    "import json, boto3, botocore",
    "from botocore.exceptions import ClientError",
    `def client(name): return boto3.client(name, endpoint_url=${JSON.stringify(url)}, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")`,
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
