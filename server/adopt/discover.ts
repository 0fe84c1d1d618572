import { z } from "zod";
import { requireRole, type Actor } from "../auth/actor.ts";
import { awsClients, type AwsClients } from "../aws/clients.ts";
import { REGIONS } from "../catalog/aws.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { listListeners, listLoadBalancers, listTargetGroups } from "./inspect.ts";

/**
 * The lists of the "Adopt existing stack" form, read from the account step by step: the
 * region's load balancers (optionally only those with a tag), then the chosen one's listeners,
 * then the target groups the chosen listener forwards to with their Auto Scaling groups.
 */
export const discoverInput = z.object({
  account: z.string({ message: "Choose an AWS account" }).trim().min(1, "Choose an AWS account"),
  region: z.string().refine((r) => r in REGIONS, { message: "Unknown region" }),
  loadBalancerArn: z.string().trim().optional(),
  listenerArn: z.string().trim().optional(),
  /** "key=value": only load balancers carrying this tag. */
  tag: z
    .string()
    .trim()
    .regex(/^[^=]+=.*$/, "A tag as key=value")
    .optional()
    .or(z.literal("")),
});

/** The account's clients in `region`, by the account's name. */
export async function clientsFor(accountName: string, region: string): Promise<{ aws: AwsClients; accountId: string }> {
  const row = await db.awsAccount.findUnique({ where: { name: accountName } });
  if (!row)
    throw new ServiceError("VALIDATION_FAILED", `account: no AWS account named "${accountName}"`, {
      account: [`No AWS account named "${accountName}": add it under AWS accounts first`],
    });
  const ref = {
    id: row.id,
    defaultRegion: row.defaultRegion,
    roleArn: row.roleArn,
    externalId: row.externalId,
    endpointUrl: row.endpointUrl,
  };
  return { aws: awsClients(ref, region), accountId: row.id };
}

export async function discoverStack({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = discoverInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const q = parsed.data;
  const { aws } = await clientsFor(q.account, q.region);
  const [key, ...rest] = (q.tag ?? "").split("=");
  const loadBalancers = await listLoadBalancers(aws, q.tag ? { key, value: rest.join("=") } : undefined);
  const listeners =
    q.loadBalancerArn && loadBalancers.some((l) => l.arn === q.loadBalancerArn) ? await listListeners(aws, q.loadBalancerArn) : [];
  const listener = listeners.find((l) => l.arn === q.listenerArn);
  const targetGroups = listener ? await listTargetGroups(aws, listener.forwardsTo) : [];
  return { loadBalancers, listeners, targetGroups };
}
