import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { IAMClient } from "@aws-sdk/client-iam";
import { RDSClient } from "@aws-sdk/client-rds";
import { SSMClient } from "@aws-sdk/client-ssm";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { env } from "../env.ts";
import { guardedLookup, isLocalCloudUrl } from "../security/endpoint-url.ts";

/**
 * One cached set of AWS SDK clients per account and region. `server/aws/` is the only place
 * that imports `@aws-sdk/*`. An account reaches AWS either through an endpoint URL (the
 * local cloud: static dummy credentials, signatures are not checked) or through the default
 * credential chain, assuming the account's role when it has one.
 */
export interface AwsAccountRef {
  id: string;
  defaultRegion: string;
  roleArn: string | null;
  externalId: string | null;
  endpointUrl: string | null;
}

export interface AwsClients {
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  rds: RDSClient;
  /** ElastiCache of the region (the optional cache). */
  elasticache: ElastiCacheClient;
  /** CloudWatch of the region (ALB, Auto Scaling, EC2, RDS metrics and alarms). */
  cloudwatch: CloudWatchClient;
  /** CloudWatch in us-east-1, where CloudFront's metrics and alarms live. */
  cloudwatchGlobal: CloudWatchClient;
  /** CloudFront is global: always us-east-1. */
  cloudfront: CloudFrontClient;
  /** IAM is global (the instance role and profile). */
  iam: IAMClient;
  /** SSM Parameter Store of the region (the delivery contract, the AL2023 AMI parameter). */
  ssm: SSMClient;
}

/** CloudFront and its metrics live in us-east-1 whatever the environment's region. */
export const GLOBAL_REGION = "us-east-1";
/** Attempts per call with the SDK's standard retry strategy (backoff on throttling and 5xx). */
export const MAX_ATTEMPTS = 5;
const LOCAL_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: "switchyard-local", secretAccessKey: "switchyard-local" };

const cache = new Map<string, AwsClients>();

function cacheKey(account: AwsAccountRef, region: string): string {
  return JSON.stringify([account.id, region, account.endpointUrl, account.roleArn, account.externalId]);
}

/** Shares one AssumeRole between an account's clients and refreshes it 5 minutes before expiry. */
function sharedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    const stale = (c: AwsCredentialIdentity) => !!c.expiration && c.expiration.getTime() - Date.now() < 5 * 60_000;
    const reuse = current?.then((c) => (stale(c) ? provider() : c));
    current = (reuse ?? provider()).catch((err: unknown) => {
      current = undefined;
      throw err;
    });
    return current;
  };
}

function credentialsFor(account: AwsAccountRef, region: string): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
  if (account.endpointUrl) return LOCAL_CREDENTIALS;
  if (!account.roleArn) return undefined; // the SDK's default provider chain
  return sharedCredentials(
    fromTemporaryCredentials({
      params: {
        RoleArn: account.roleArn,
        RoleSessionName: "switchyard",
        ...(account.externalId ? { ExternalId: account.externalId } : {}),
        DurationSeconds: 3600,
      },
      clientConfig: { region },
    }),
  );
}

interface ClockedClient {
  config: { systemClockOffset?: number };
  middlewareStack: { add: EC2Client["middlewareStack"]["add"] };
}

/** The service's clock as seen through one account's clients: every response's Date header. */
interface ServerClock {
  offset: number;
  sampledAt: number;
  /** Known to tick at wall speed (real AWS, or a local cloud at speed 1): a stale sample is fine. */
  realTime: boolean;
  clients: ClockedClient[];
}
const clocks = new WeakMap<AwsClients, ServerClock>();

/**
 * The SDK corrects its clock offset only when it is 5 minutes off or more, per client; the
 * local cloud's clock runs fast. So every response of any of the account's clients updates
 * one shared offset (to the second), set on all of them.
 */
function trackServerClock(client: ClockedClient, clock: ServerClock): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const response = out.response as { headers?: Record<string, string | undefined> } | undefined;
      const serverMs = Date.parse(response?.headers?.date ?? response?.headers?.Date ?? "");
      if (Number.isFinite(serverMs)) {
        const now = Date.now();
        const offset = serverMs - now;
        if (clock.sampledAt && now - clock.sampledAt >= 5_000) clock.realTime = Math.abs(offset - clock.offset) < 2_000;
        if (!clock.sampledAt || now - clock.sampledAt >= 5_000 || Math.abs(offset - clock.offset) > 1_500) {
          clock.offset = offset;
          clock.sampledAt = now;
          for (const c of clock.clients) c.config.systemClockOffset = offset;
        }
      }
      return out;
    },
    { step: "deserialize", name: "switchyardServerClock", override: true },
  );
}

/**
 * An endpoint given by host name connects only to public addresses, checked again at each
 * connection (it was checked when saved; DNS may answer differently now). IP addresses were
 * checked when saved; the local cloud is exempt (server/security/endpoint-url.ts).
 */
function endpointAgents(endpointUrl: string | null): { httpAgent?: http.Agent; httpsAgent?: https.Agent } {
  if (!endpointUrl) return {};
  const url = new URL(endpointUrl);
  if (net.isIP(url.hostname.replace(/^\[|\]$/g, "")) || isLocalCloudUrl(url, { port: env.LOCALCLOUD_PORT })) return {};
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 50, lookup: guardedLookup }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 50, lookup: guardedLookup }),
  };
}

function build(account: AwsAccountRef, region: string): AwsClients {
  const regional = credentialsFor(account, region);
  const global = region === GLOBAL_REGION ? regional : credentialsFor(account, GLOBAL_REGION);
  const config = (r: string, credentials: typeof regional) => ({
    region: r,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: "standard",
    ...(credentials ? { credentials } : {}),
    ...(account.endpointUrl ? { endpoint: account.endpointUrl } : {}),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000, ...endpointAgents(account.endpointUrl) },
  });
  const clients: AwsClients = {
    ec2: new EC2Client(config(region, regional)),
    autoscaling: new AutoScalingClient(config(region, regional)),
    elbv2: new ElasticLoadBalancingV2Client(config(region, regional)),
    rds: new RDSClient(config(region, regional)),
    elasticache: new ElastiCacheClient(config(region, regional)),
    cloudwatch: new CloudWatchClient(config(region, regional)),
    cloudwatchGlobal: new CloudWatchClient(config(GLOBAL_REGION, global)),
    cloudfront: new CloudFrontClient(config(GLOBAL_REGION, global)),
    iam: new IAMClient(config(GLOBAL_REGION, global)),
    ssm: new SSMClient(config(region, regional)),
  };
  const clock: ServerClock = { offset: 0, sampledAt: 0, realTime: false, clients: Object.values(clients) as unknown as ClockedClient[] };
  for (const c of clock.clients) trackServerClock(c, clock);
  clocks.set(clients, clock);
  return clients;
}

/** The cached clients of an account in a region (one set per account, region and connection settings). */
export function awsClients(account: AwsAccountRef, region: string = account.defaultRegion): AwsClients {
  const key = cacheKey(account, region);
  let clients = cache.get(key);
  if (!clients) {
    // An edited account (new role or endpoint) gets new clients; drop the old ones.
    for (const [k, old] of cache) {
      if (k.startsWith(JSON.stringify([account.id, region]).slice(0, -1))) {
        for (const c of Object.values(old)) c.destroy();
        cache.delete(k);
      }
    }
    clients = build(account, region);
    cache.set(key, clients);
  }
  return clients;
}

/** Closes every cached client (tests, shutdown). */
export function destroyAwsClients(): void {
  for (const clients of cache.values()) for (const c of Object.values(clients)) c.destroy();
  cache.clear();
}

/**
 * "Now" as the service sees it: the local cloud's simulated clock, or AWS's clock corrected
 * for local skew. Use it for every time window sent to AWS (CloudWatch queries).
 */
export function serverNow(client: { config: { systemClockOffset?: number } }): number {
  return Date.now() + (client.config.systemClockOffset ?? 0);
}

/**
 * serverNow, first refreshing the offset with one cheap call when the service's clock is not
 * known to tick at wall speed and the last sample is over a second old (a local cloud at
 * speed 200 moves 200 s per wall second). Against AWS this costs nothing after the first calls.
 */
export async function freshServerNow(clients: AwsClients): Promise<number> {
  const clock = clocks.get(clients);
  if (clock && !clock.realTime && Date.now() - clock.sampledAt > 1_000) {
    await clients.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
  }
  return serverNow(clients.cloudwatch);
}
