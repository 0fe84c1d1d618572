/**
 * AWS error codes that mean "a quota was reached", mapped to the Service Quotas entry a person
 * raises: its name, service code and quota code, so the message can say exactly which quota and
 * how to ask for more. Codes AWS answers for these (EC2's *LimitExceeded, ELB's TooMany*, RDS's
 * *QuotaExceeded, IAM's LimitExceeded...).
 */
export interface QuotaInfo {
  name: string;
  serviceCode: string;
  quotaCode: string;
}

const QUOTAS: Record<string, QuotaInfo> = {
  VpcLimitExceeded: { name: "VPCs per Region", serviceCode: "vpc", quotaCode: "L-F678F1CE" },
  InternetGatewayLimitExceeded: { name: "Internet gateways per Region", serviceCode: "vpc", quotaCode: "L-A4707A72" },
  NatGatewayLimitExceeded: { name: "NAT gateways per Availability Zone", serviceCode: "vpc", quotaCode: "L-FE5A380F" },
  AddressLimitExceeded: { name: "EC2-VPC Elastic IPs", serviceCode: "ec2", quotaCode: "L-0263D0A3" },
  SecurityGroupLimitExceeded: { name: "VPC security groups per Region", serviceCode: "vpc", quotaCode: "L-E79EC296" },
  RulesPerSecurityGroupLimitExceeded: { name: "Inbound or outbound rules per security group", serviceCode: "vpc", quotaCode: "L-0EA8095F" },
  SecurityGroupsPerInterfaceLimitExceeded: { name: "Security groups per network interface", serviceCode: "vpc", quotaCode: "L-2AFB9258" },
  VpcEndpointLimitExceeded: { name: "Gateway VPC endpoints per Region", serviceCode: "vpc", quotaCode: "L-1B52E74A" },
  RouteLimitExceeded: { name: "Routes per route table", serviceCode: "vpc", quotaCode: "L-93826ACB" },
  InstanceLimitExceeded: {
    name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (vCPUs)",
    serviceCode: "ec2",
    quotaCode: "L-1216C47A",
  },
  VcpuLimitExceeded: {
    name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (vCPUs)",
    serviceCode: "ec2",
    quotaCode: "L-1216C47A",
  },
  TooManyLoadBalancers: { name: "Application Load Balancers per Region", serviceCode: "elasticloadbalancing", quotaCode: "L-53DA6B97" },
  TooManyTargetGroups: { name: "Target Groups per Region", serviceCode: "elasticloadbalancing", quotaCode: "L-B22855CB" },
  TooManyListeners: { name: "Listeners per Application Load Balancer", serviceCode: "elasticloadbalancing", quotaCode: "L-B6DF7632" },
  TooManyRules: { name: "Rules per Application Load Balancer", serviceCode: "elasticloadbalancing", quotaCode: "L-CA2EEB1E" },
  InstanceQuotaExceeded: { name: "DB instances", serviceCode: "rds", quotaCode: "L-7B6409FD" },
  StorageQuotaExceeded: { name: "Total storage for all DB instances", serviceCode: "rds", quotaCode: "L-7ADDB58A" },
  DBSubnetGroupQuotaExceeded: { name: "DB subnet groups", serviceCode: "rds", quotaCode: "L-48C6BF81" },
  SnapshotQuotaExceeded: { name: "Manual DB instance snapshots", serviceCode: "rds", quotaCode: "L-272F1212" },
  TooManyDistributions: { name: "Web distributions per AWS account", serviceCode: "cloudfront", quotaCode: "L-24B04930" },
  TooManyInvalidationsInProgress: { name: "Concurrent invalidations (file paths)", serviceCode: "cloudfront", quotaCode: "L-3D3A2B8F" },
};

/** Quota codes that share an AWS error code across services. */
const BY_SERVICE: Record<string, Record<string, QuotaInfo>> = {
  autoscaling: { LimitExceeded: { name: "Auto Scaling groups per Region", serviceCode: "autoscaling", quotaCode: "L-CDE20ADC" } },
  iam: { LimitExceeded: { name: "Roles per account", serviceCode: "iam", quotaCode: "L-FE177D64" } },
  cloudwatch: { LimitExceeded: { name: "Alarms per Region (metric alarms)", serviceCode: "monitoring", quotaCode: "L-6A4A9B75" } },
};

export function quotaOf(code: string, service?: string): QuotaInfo | undefined {
  return QUOTAS[code] ?? (service ? BY_SERVICE[service]?.[code] : undefined);
}

/** "Raise it: Service Quotas console ... or aws service-quotas request-service-quota-increase ..." */
export function raiseQuotaHint(q: QuotaInfo, region: string): string {
  return (
    `raise it in the Service Quotas console (https://${region}.console.aws.amazon.com/servicequotas/home/services/${q.serviceCode}/quotas/${q.quotaCode}) ` +
    `or with \`aws service-quotas request-service-quota-increase --region ${region} --service-code ${q.serviceCode} --quota-code ${q.quotaCode} --desired-value <n>\`, ` +
    "or remove resources you no longer use"
  );
}
