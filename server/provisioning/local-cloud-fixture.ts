/**
 * An in-process strict local cloud with a Switchyard account pointing at it, for provisioning
 * tests: admin calls (policy, quotas, faults, consistency lag, stats), the instance log, and a
 * request through an environment's listener. Test code only.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { startLocalCloud } from "../../localcloud/src/index.ts";
import { awsClients, destroyAwsClients, type AwsClients } from "../aws/clients.ts";
import { db } from "../db/client.ts";

export const LOCAL_ACCOUNT = "000000000000";

export interface LocalCloud {
  url: string;
  accountId: string;
  aws: AwsClients;
  admin(method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stats(): Promise<Record<string, number>>;
  /** What one request through the load balancer's listener answers (status and reported version). */
  ask(lbName: string, headers?: Record<string, string>): Promise<{ status: number; version: string | null }>;
  close(): Promise<void>;
}

export async function startFixture(opts: { speed?: number } = {}): Promise<LocalCloud> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sy-lc-"));
  const lc = await startLocalCloud({ port: 0, dataDir, speed: opts.speed ?? 200 });
  const accountId = (
    await db.awsAccount.create({
      data: { name: `lc-${randomUUID().slice(0, 8)}`, defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true },
    })
  ).id;
  const admin = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${lc.url}/_localcloud/${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  return {
    url: lc.url,
    accountId,
    aws: awsClients({ id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url }, "us-east-1"),
    admin,
    stats: async () => ((await admin("GET", "stats")).body as { calls: Record<string, number> }).calls,
    ask: async (lbName, headers = {}) => {
      const endpoints = (await admin("GET", "endpoints")).body as {
        loadBalancers: Array<{ name: string; listeners: Array<{ port: number; url: string }> }>;
      };
      const url = endpoints.loadBalancers.find((l) => l.name === lbName)?.listeners.find((l) => l.port === 80)?.url;
      if (!url) throw new Error(`no listener for ${lbName}`);
      const res = await fetch(`${url}/`, { headers });
      const body = (await res.json().catch(() => null)) as { version?: string } | null;
      return { status: res.status, version: body?.version ?? null };
    },
    close: async () => {
      destroyAwsClients();
      await lc.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The deployer policy users attach to the role Switchyard assumes. */
export function deployerPolicy(): unknown {
  return JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../docs/aws-iam-policy.json"), "utf8"));
}
