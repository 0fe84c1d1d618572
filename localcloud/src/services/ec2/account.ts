/**
 * Account-level answers: DescribeAccountAttributes (a VPC-only account without a default VPC,
 * limits from the quotas) and the retired EC2-Classic calls, which AWS now refuses.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { quota, QUOTAS } from "./quotas.ts";

export function describeAccountAttributes(input: { AttributeNames?: string[] }, ctx: RequestContext) {
  const elasticIps = String(quota(ctx, QUOTAS.elasticIps));
  const attributes: Record<string, string[]> = {
    "supported-platforms": ["VPC"],
    "default-vpc": ["none"],
    "max-instances": ["20"],
    "vpc-max-security-groups-per-interface": [String(quota(ctx, QUOTAS.groupsPerInterface))],
    "max-elastic-ips": [elasticIps],
    "vpc-max-elastic-ips": [elasticIps],
  };
  const names = input.AttributeNames?.length ? input.AttributeNames : Object.keys(attributes);
  for (const name of names) {
    if (!(name in attributes))
      throw new AwsError("InvalidParameterValue", `Value (${name}) for parameter attributeName is invalid. Unknown attribute.`);
  }
  return {
    AccountAttributes: names.map((name) => ({
      AttributeName: name,
      AttributeValues: attributes[name].map((AttributeValue) => ({ AttributeValue })),
    })),
  };
}

/** EC2-Classic was retired in 2023; ClassicLink calls now fail this way on AWS (older Terraform providers still call them). */
function classicLinkRetired(): never {
  throw new AwsError("UnsupportedOperation", "The functionality you requested is not available in this region.");
}

export const describeVpcClassicLink = (_input: unknown, _ctx: RequestContext) => classicLinkRetired();
export const describeVpcClassicLinkDnsSupport = (_input: unknown, _ctx: RequestContext) => classicLinkRetired();
