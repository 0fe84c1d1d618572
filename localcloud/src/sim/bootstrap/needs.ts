/**
 * What an instance's user data needs from the network and from its role, read from the script
 * (see shell.ts for how it is read):
 *
 *   dnf / yum / amazon-linux-extras install|update...   S3 (Amazon Linux 2023's repositories are S3 in-region)
 *   curl / wget of an http(s) URL                      S3 for S3 hosts, that service for AWS endpoints, else the internet
 *   pip install, npm install / npm ci / npm i          the internet
 *   aws s3 cp|mv|sync|ls s3://bucket/key               S3 + s3:GetObject (PutObject uploading, ListBucket for ls / sync)
 *   aws secretsmanager get-secret-value --secret-id X  Secrets Manager + secretsmanager:GetSecretValue on X
 *   aws ssm get-parameter(s) --name(s) X               SSM + ssm:GetParameter(s) on the parameter
 *   aws <service> <operation>                          that service + <service>:<Operation> on "*"
 *   # localcloud: needs=s3,secretsmanager,internet     declared needs (network only), still valid shell on AWS
 *
 * Resources naming a variable the script does not set to a plain value (`$1`, `$(...)`) cannot
 * be known before the script runs: their network need stays, their permission is not checked.
 */
import { parseScript, type ScriptLine } from "./shell.ts";

export type NetworkNeed = { kind: "internet" } | { kind: "s3" } | { kind: "service"; service: string };

export interface Need {
  /** 1-based user-data line. */
  line: number;
  /** The command as the console shows it, e.g. "dnf", "aws s3 cp", "localcloud needs=secretsmanager". */
  tool: string;
  network: NetworkNeed;
  /** What is reached, for messages: a URL, s3://bucket/key, a secret id, a service. */
  target: string;
  /** The IAM permission the call needs; resource undefined when it is only known at run time. */
  permission?: { action: string; resource?: string };
  /** A secret or parameter that must exist (Secrets Manager / SSM answer NotFound otherwise). */
  mustExist?: { kind: "secret" | "parameter"; id: string; region: string };
}

export interface ParsedUserData {
  lines: ScriptLine[];
  needs: Need[];
  /** `set -e` (or `bash -e` in the shebang): the script stops at its first failing command. */
  exitsOnError: boolean;
}

export interface NeedsContext {
  /** The instance's region: the default for aws commands and S3 / service endpoints. */
  region: string;
  accountId: string;
}

const PACKAGE_TOOLS = new Set(["dnf", "yum", "microdnf"]);
const REPO_VERBS = new Set([
  "install",
  "update",
  "upgrade",
  "makecache",
  "groupinstall",
  "reinstall",
  "downgrade",
  "distro-sync",
  "group",
  "module",
]);
/** CLI names whose IAM prefix / endpoint differs from the name. */
const CLI_SERVICES: Record<string, { iam: string; endpoint: string }> = {
  s3api: { iam: "s3", endpoint: "s3" },
  elbv2: { iam: "elasticloadbalancing", endpoint: "elasticloadbalancing" },
  elb: { iam: "elasticloadbalancing", endpoint: "elasticloadbalancing" },
  cloudwatch: { iam: "cloudwatch", endpoint: "monitoring" },
  ecr: { iam: "ecr", endpoint: "ecr.api" },
  "ecr-public": { iam: "ecr-public", endpoint: "api.ecr-public" },
};
/** CLI commands that are not API calls, and those named differently from their operation. */
const LOCAL_AWS_COMMANDS = new Set(["configure", "help", "history", "--version"]);
const CLI_OPERATIONS: Record<string, string> = {
  "ecr get-login-password": "GetAuthorizationToken",
  "ecr-public get-login-password": "GetAuthorizationToken",
};
/** Options that take a value (so the value is not read as a positional argument). */
const AWS_GLOBAL_OPTIONS_WITH_VALUE = new Set([
  "--region",
  "--profile",
  "--output",
  "--query",
  "--endpoint-url",
  "--cli-read-timeout",
  "--cli-connect-timeout",
  "--ca-bundle",
  "--color",
]);

const pascal = (op: string) =>
  op
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
const basename = (cmd: string) => cmd.slice(cmd.lastIndexOf("/") + 1);

/** `$NAME` / `${NAME}` replaced by the script's plain assignments; undefined when something stays unknown. */
function resolve(text: string, vars: Map<string, string>): string | undefined {
  const out = text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*|\d)\}?/g, (m, name: string) => vars.get(name) ?? m);
  return out.includes("$") ? undefined : out;
}

/** Where an http(s) URL goes: S3, an AWS service endpoint, the instance metadata service, or the internet. */
export function urlNeed(url: string, region: string): NetworkNeed | undefined {
  const m = /^https?:\/\/([^/:?#]+)/i.exec(url);
  if (!m) return undefined;
  const host = m[1].toLowerCase();
  if (host === "169.254.169.254" || host === "instance-data" || host === "localhost" || host.startsWith("127.")) return undefined;
  if (/(^|\.)s3([.-][a-z0-9-]+)?(\.dualstack)?(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(host)) return { kind: "s3" };
  const aws = /^([a-z0-9-]+(?:\.api)?)\.(?:([a-z]{2}(?:-gov)?-[a-z]+-\d)\.)?amazonaws\.com$/.exec(host);
  if (aws && !host.includes("$")) return aws[2] && aws[2] !== region ? { kind: "internet" } : { kind: "service", service: aws[1] };
  return { kind: "internet" };
}

/** Value of `--name value` / `--name=value`. */
function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** Values following `--name` up to the next option (`--names a b`). */
function optionList(args: string[], name: string): string[] {
  const i = args.indexOf(name);
  if (i < 0) return [];
  const out: string[] = [];
  for (let j = i + 1; j < args.length && !args[j].startsWith("--"); j++) out.push(args[j]);
  return out;
}

function positionals(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith("--")) {
      if (
        !args[i].includes("=") &&
        i + 1 < args.length &&
        !args[i + 1].startsWith("--") &&
        ![
          "--recursive",
          "--dryrun",
          "--quiet",
          "--delete",
          "--no-progress",
          "--only-show-errors",
          "--exact-timestamps",
          "--no-sign-request",
        ].includes(args[i])
      )
        i++;
      continue;
    }
    if (args[i].startsWith("-") && args[i] !== "-") continue;
    out.push(args[i]);
  }
  return out;
}

function s3Arn(uri: string): { bucket: string; key: string } {
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  return slash < 0 ? { bucket: rest, key: "" } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

function awsNeeds(args: string[], line: number, vars: Map<string, string>, ctx: NeedsContext): Need[] {
  // Global options may come before the service.
  let i = 0;
  while (i < args.length && args[i].startsWith("--")) i += AWS_GLOBAL_OPTIONS_WITH_VALUE.has(args[i]) ? 2 : 1;
  const [cli, op, ...rest] = args.slice(i);
  if (!cli || LOCAL_AWS_COMMANDS.has(cli) || !op || op === "help") return [];
  const region =
    resolve(option(args, "--region") ?? vars.get("AWS_DEFAULT_REGION") ?? vars.get("AWS_REGION") ?? ctx.region, vars) ?? ctx.region;
  const tool = `aws ${cli} ${op}`;
  const service = CLI_SERVICES[cli] ?? { iam: cli, endpoint: cli };
  const network: NetworkNeed =
    region !== ctx.region
      ? { kind: "internet" }
      : service.endpoint === "s3"
        ? { kind: "s3" }
        : { kind: "service", service: service.endpoint };
  const need = (target: string, action: string, resource: string | undefined, mustExist?: Need["mustExist"]): Need => ({
    line,
    tool,
    network,
    target,
    permission: { action, resource },
    ...(mustExist ? { mustExist } : {}),
  });
  if (cli === "s3") {
    const uris = positionals(rest).filter((a) => a.startsWith("s3://"));
    const source = positionals(rest)[0];
    if (!uris.length) return op === "ls" ? [need("s3", "s3:ListAllMyBuckets", "*")] : [];
    const listing = op === "ls" || op === "sync" || rest.includes("--recursive");
    return uris.map((uri) => {
      const resolved = resolve(uri, vars);
      const { bucket, key } = s3Arn(resolved ?? uri);
      const upload = uri !== source && op !== "ls";
      const action = listing && !upload ? "s3:ListBucket" : upload ? "s3:PutObject" : "s3:GetObject";
      const resource =
        resolved === undefined ? undefined : action === "s3:ListBucket" ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
      return need(resolved ?? uri, action, resource);
    });
  }
  if (cli === "secretsmanager" && op === "get-secret-value") {
    const raw = option(rest, "--secret-id") ?? "";
    const id = resolve(raw, vars);
    const resource =
      id === undefined ? undefined : id.startsWith("arn:") ? id : `arn:aws:secretsmanager:${region}:${ctx.accountId}:secret:${id}`;
    return [need(id ?? raw, "secretsmanager:GetSecretValue", resource, id === undefined ? undefined : { kind: "secret", id, region })];
  }
  if (cli === "ssm" && (op === "get-parameter" || op === "get-parameters")) {
    const names = op === "get-parameter" ? [option(rest, "--name") ?? ""] : optionList(rest, "--names");
    const action = `ssm:${pascal(op)}`;
    return names.map((raw) => {
      const name = resolve(raw, vars);
      const resource =
        name === undefined
          ? undefined
          : name.startsWith("arn:")
            ? name
            : `arn:aws:ssm:${region}:${ctx.accountId}:parameter/${name.replace(/^\//, "")}`;
      return need(name ?? raw, action, resource, name === undefined ? undefined : { kind: "parameter", id: name, region });
    });
  }
  if (cli === "s3api") {
    const bucket = resolve(option(rest, "--bucket") ?? "", vars);
    const key = resolve(option(rest, "--key") ?? "", vars);
    const resource =
      bucket === undefined || key === undefined
        ? undefined
        : key
          ? `arn:aws:s3:::${bucket}/${key}`
          : bucket
            ? `arn:aws:s3:::${bucket}`
            : "*";
    return [need(bucket ? `s3://${bucket}/${key ?? ""}` : "s3", `s3:${pascal(op)}`, resource)];
  }
  const operation = CLI_OPERATIONS[`${cli} ${op}`] ?? pascal(op);
  return [need(service.endpoint, `${service.iam}:${operation}`, "*")];
}

function commandNeeds(argv: string[], line: number, vars: Map<string, string>, ctx: NeedsContext): Need[] {
  const cmd = basename(argv[0]);
  const args = argv.slice(1);
  if (PACKAGE_TOOLS.has(cmd) || cmd === "amazon-linux-extras") {
    const verb = args.find((a) => !a.startsWith("-"));
    return verb && REPO_VERBS.has(verb) ? [{ line, tool: cmd, network: { kind: "s3" }, target: "the Amazon Linux repositories" }] : [];
  }
  if (cmd === "curl" || cmd === "wget") {
    return args.flatMap((a) => {
      const url = resolve(a, vars) ?? a;
      const network = /^https?:\/\//i.test(url) ? urlNeed(url, ctx.region) : undefined;
      return network ? [{ line, tool: cmd, network, target: url }] : [];
    });
  }
  const pip = /^pip[\d.]*$/.test(cmd)
    ? args
    : /^python[\d.]*$/.test(cmd) && args[0] === "-m" && args[1] === "pip"
      ? args.slice(2)
      : undefined;
  if (pip?.[0] === "install") return [{ line, tool: "pip install", network: { kind: "internet" }, target: "https://pypi.org/simple/" }];
  if (cmd === "npm" && ["install", "i", "ci", "add"].includes(args[0] ?? "")) {
    return [{ line, tool: `npm ${args[0]}`, network: { kind: "internet" }, target: "https://registry.npmjs.org/" }];
  }
  if (cmd === "aws") return awsNeeds(args, line, vars, ctx);
  return [];
}

/** `# localcloud: needs=s3,secretsmanager,internet` (comma list; several lines add up). */
function directiveNeeds(text: string, line: number): Need[] {
  const m = /^#\s*localcloud:(.*)$/.exec(text.trim());
  if (!m) return [];
  return m[1]
    .trim()
    .split(/\s+/)
    .flatMap((pair) => {
      if (!pair.toLowerCase().startsWith("needs=")) return [];
      return pair
        .slice("needs=".length)
        .split(",")
        .map((n) => n.trim().toLowerCase())
        .filter(Boolean)
        .map(
          (n): Need => ({
            line,
            tool: `localcloud needs=${n}`,
            network: n === "internet" ? { kind: "internet" } : n === "s3" ? { kind: "s3" } : { kind: "service", service: n },
            target: n === "internet" ? "the internet" : n,
          }),
        );
    });
}

/** The user data's needs in script order (already base64-decoded). */
export function parseNeeds(userData: string, ctx: NeedsContext): ParsedUserData {
  const lines = parseScript(userData);
  const vars = new Map<string, string>();
  const needs: Need[] = [];
  const firstLine = userData.split(/\r?\n/, 1)[0] ?? "";
  let exitsOnError = /^#!\S*\s+.*-\w*e/.test(firstLine);
  for (const l of lines) {
    needs.push(...directiveNeeds(l.text, l.line));
    for (const argv of l.commands) {
      if (argv[0] === "set" && argv.slice(1).some((a) => /^-\w*e/.test(a) || a === "errexit")) exitsOnError = true;
      needs.push(...commandNeeds(argv, l.line, vars, ctx));
    }
    for (const [name, value] of l.assigns) {
      const resolved = resolve(value, vars);
      if (resolved === undefined) vars.delete(name);
      else vars.set(name, resolved);
    }
  }
  return { lines, needs, exitsOnError };
}
