/**
 * EC2 / VPC quotas with AWS's defaults and error codes. Values per account come from
 * core/quotas.ts (admin API `/_localcloud/quotas`); counts are per region (the local cloud's
 * resources all belong to the cloud's account).
 */
import { defineQuotas, quotaValue } from "../../core/quotas.ts";
import { AwsError, type RequestContext } from "../../core/types.ts";

export const QUOTAS = {
  vpcs: "vpcs-per-region",
  internetGateways: "internet-gateways-per-region",
  natGatewaysPerAz: "nat-gateways-per-az",
  elasticIps: "elastic-ips",
  securityGroups: "security-groups-per-region",
  rulesPerGroup: "rules-per-security-group",
  groupsPerInterface: "security-groups-per-network-interface",
} as const;

defineQuotas([
  { service: "ec2", code: QUOTAS.vpcs, awsQuotaCode: "L-F678F1CE", name: "VPCs per Region", default: 5 },
  { service: "ec2", code: QUOTAS.internetGateways, awsQuotaCode: "L-A4707A72", name: "Internet gateways per Region", default: 5 },
  { service: "ec2", code: QUOTAS.natGatewaysPerAz, awsQuotaCode: "L-FE5A380F", name: "NAT gateways per Availability Zone", default: 5 },
  { service: "ec2", code: QUOTAS.elasticIps, awsQuotaCode: "L-0263D0A3", name: "EC2-VPC Elastic IPs", default: 5 },
  { service: "ec2", code: QUOTAS.securityGroups, awsQuotaCode: "L-E79EC296", name: "VPC security groups per Region", default: 2500 },
  // One value, applied to inbound and outbound separately (and to IPv4 and IPv6 separately), as AWS does.
  {
    service: "ec2",
    code: QUOTAS.rulesPerGroup,
    awsQuotaCode: "L-0EA8095F",
    name: "Inbound or outbound rules per security group",
    default: 60,
  },
  {
    service: "ec2",
    code: QUOTAS.groupsPerInterface,
    awsQuotaCode: "L-2AFB9258",
    name: "Security groups per network interface",
    default: 5,
  },
]);

export function quota(ctx: RequestContext, code: string): number {
  return quotaValue(ctx.cloud, ctx.accountId, code);
}

/** The error AWS answers when a create would go past the quota (`current` counts what exists now). */
export function enforceQuota(ctx: RequestContext, code: string, current: number, error: string, message: string): void {
  if (current >= quota(ctx, code)) throw new AwsError(error, message);
}
