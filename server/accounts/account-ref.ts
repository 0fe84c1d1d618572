/** An AWS account's connection settings by id, as the AWS clients take them (provisioning and the dashboards use it). */
import type { AwsAccountRef } from "../aws/clients.ts";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";

export async function accountOf(accountId: string): Promise<AwsAccountRef> {
  const row = await db.awsAccount.findUnique({ where: { id: accountId } });
  if (!row)
    throw new ServiceError("NOT_FOUND", `AWS account ${accountId} does not exist (was it removed?). Add it again under AWS accounts.`);
  return { id: row.id, defaultRegion: row.defaultRegion, roleArn: row.roleArn, externalId: row.externalId, endpointUrl: row.endpointUrl };
}
