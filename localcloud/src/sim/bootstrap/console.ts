/**
 * The console log of a bootstrap, as GetConsoleOutput shows it on Amazon Linux 2023: cloud-init's
 * banner, each script line as it runs (`+ line`, as `set -x` would print it), what each need got
 * (the path taken, or the error the tool prints plus the reason in localcloud's words), and, on a
 * failure, cloud-init's scripts_user warnings. Uptimes are simulated seconds since the instance
 * started running; the waits (dnf and curl time out after 30 s, the AWS CLI after 60 s) are what
 * a real run would spend.
 */
import type { BootstrapResult, NeedOutcome } from "./evaluate.ts";

const CLOUD_INIT = "Cloud-init v. 22.2.2";
const PID = 1642;

function timestamp(ms: number): string {
  return new Date(ms).toUTCString().replace("GMT", "+0000");
}

function logDate(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
}

const hostOf = (url: string) => /^https?:\/\/([^/:?#]+)/i.exec(url)?.[1] ?? url;

/** What the tool itself prints when it fails, then the reason in localcloud's words (the brief's format). */
function failureLines(o: NeedOutcome, region: string): string[] {
  const { need, detail } = o;
  const tool = need.tool;
  if (o.failure === "credentials")
    return [
      'Unable to locate credentials. You can configure credentials by running "aws configure".',
      `${tool}: Unable to locate credentials: ${detail}`,
    ];
  if (o.failure === "permission") {
    const [service, op] = (need.permission?.action ?? "unknown:Unknown").split(":");
    // What the CLI prints: `aws s3 cp` asks HeadObject first (a bare 403); other APIs name their error code.
    const printed =
      tool === "aws s3 cp" || tool === "aws s3 mv"
        ? "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden"
        : `An error occurred (${service === "s3" ? "AccessDenied" : service === "ec2" ? "UnauthorizedOperation" : "AccessDeniedException"}) when calling the ${tool.startsWith("aws s3 ") ? "ListObjectsV2" : op} operation: User is not authorized to perform: ${need.permission?.action}${need.permission?.resource ? ` on resource: ${need.permission.resource}` : ""}`;
    return [printed, `${tool}: AccessDenied: ${detail}`];
  }
  if (o.failure === "missing") {
    const code = need.mustExist?.kind === "secret" ? "ResourceNotFoundException" : "ParameterNotFound";
    return [
      `An error occurred (${code}) when calling the ${need.permission?.action.split(":")[1]} operation: ${detail}`,
      `${tool}: ${code}: ${detail}`,
    ];
  }
  if (tool === "dnf" || tool === "yum" || tool === "microdnf" || tool === "amazon-linux-extras") {
    return [
      `Error: Failed to download metadata for repo 'amazonlinux': Cannot download repomd.xml: Curl error (28): Timeout was reached for https://al2023-repos-${region}-de612dc2.s3.dualstack.${region}.amazonaws.com/core/mirrors/latest/x86_64/mirror.list`,
      `${tool}: cannot reach the repository: ${detail}`,
    ];
  }
  if (tool === "curl" || tool === "wget") {
    return [
      `${tool}: (28) Failed to connect to ${hostOf(need.target)} port 443 after 30001 ms: Timeout was reached`,
      `${tool}: cannot reach ${hostOf(need.target)}: ${detail}`,
    ];
  }
  if (tool.startsWith("aws ")) {
    const service = need.network.kind === "service" ? need.network.service : "s3";
    return [
      `Connect timeout on endpoint URL: "https://${service}.${region}.amazonaws.com/"`,
      `${tool}: cannot reach ${need.network.kind === "s3" ? "S3" : service}: ${detail}`,
    ];
  }
  return [`${tool}: cannot reach ${need.target}: ${detail}`];
}

function waitSeconds(o: NeedOutcome): number {
  if (o.ok)
    return o.need.tool === "dnf" || o.need.tool === "yum" ? 14 : o.need.tool.startsWith("npm") || o.need.tool === "pip install" ? 9 : 1.5;
  if (o.failure === "network") return o.need.tool.startsWith("aws ") ? 60 : 30;
  return 0.8;
}

/**
 * The console text of one bootstrap. `runningAt` is when the instance entered `running`
 * (simulated ms); returns the text and the simulated uptime at which cloud-init finished.
 */
export function renderConsole(result: BootstrapResult, runningAt: number, region: string): { text: string; finishedAfterSeconds: number } {
  const out: string[] = [];
  let up = 6.1;
  const emit = (line: string) => out.push(`[${up.toFixed(6).padStart(12)}] cloud-init[${PID}]: ${line}`);
  emit(`${CLOUD_INIT} running 'init' at ${timestamp(runningAt + up * 1000)}. Up ${up.toFixed(2)} seconds.`);
  up += 3.4;
  emit(`${CLOUD_INIT} running 'modules:final' at ${timestamp(runningAt + up * 1000)}. Up ${up.toFixed(2)} seconds.`);
  const byLine = new Map<number, NeedOutcome[]>();
  for (const o of result.outcomes) byLine.set(o.need.line, [...(byLine.get(o.need.line) ?? []), o]);
  const lastEvaluated = result.outcomes[result.outcomes.length - 1]?.need.line ?? 0;
  let failed = false;
  for (const line of result.parsed.lines) {
    // With `set -e` nothing after the failing line runs.
    if (failed && result.parsed.exitsOnError) break;
    if (result.parsed.exitsOnError && !result.ok && line.line > lastEvaluated) break;
    if (line.commands.length) emit(`+ ${line.text}`);
    up += 0.05;
    for (const o of byLine.get(line.line) ?? []) {
      up += waitSeconds(o);
      if (o.ok) emit(`${o.need.tool}: ok (${o.detail})`);
      else {
        for (const l of failureLines(o, region)) emit(l);
        failed = true;
      }
    }
  }
  if (!result.ok) {
    const at = logDate(runningAt + up * 1000);
    emit(`${at} - cc_scripts_user.py[WARNING]: Failed to run module scripts_user (scripts in /var/lib/cloud/instance/scripts)`);
    emit(
      `${at} - util.py[WARNING]: Running module scripts_user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3.9/site-packages/cloudinit/config/cc_scripts_user.py'>) failed`,
    );
  }
  up += 0.2;
  emit(`${CLOUD_INIT} finished at ${timestamp(runningAt + up * 1000)}. Datasource DataSourceEc2.  Up ${up.toFixed(2)} seconds`);
  return { text: `${out.join("\n")}\n`, finishedAfterSeconds: up };
}
