/**
 * The steps each kind of operation shows on its timeline, in order. Workflows report on
 * these keys; the timeline shows every planned step from the start, so a person sees what
 * is coming as well as what is done.
 */
export type OperationKind = "provision" | "rollout" | "rollback" | "teardown";

export interface PlannedStep {
  key: string;
  label: string;
}

export function planSteps(
  kind: OperationKind,
  opts: {
    database: boolean;
    /** The spec has an ElastiCache cache. */
    cache?: boolean;
    cloudfront: boolean;
    canarySteps?: number[];
    warmRollback?: boolean;
    protectedEnv?: boolean;
    replacesWarm?: { previous: string; next: string };
    /** Provisioning: the instances' way out. */
    egress?: "nat-per-az" | "nat-shared" | "public";
    /** Teardown: the final snapshot's name, null when skipped. */
    finalSnapshot?: string | null;
  },
): PlannedStep[] {
  const egress = opts.egress ?? "nat-shared";
  switch (kind) {
    case "provision":
      return [
        { key: "network", label: "VPC, subnets, internet gateway, route tables and the S3 endpoint" },
        {
          key: "egress",
          label:
            egress === "public"
              ? "Way out: public subnets with public IPs (no NAT gateway)"
              : egress === "nat-per-az"
                ? "NAT gateway per zone, with routes"
                : "One shared NAT gateway, with routes",
        },
        ...(egress === "public" ? [] : [{ key: "egress-ready", label: "Wait for the NAT gateways" }]),
        { key: "security-groups", label: "Security groups (alb → app → db)" },
        ...(opts.database
          ? [
              { key: "database", label: "RDS database (created in parallel)" },
              { key: "database-available", label: "Wait for the database" },
            ]
          : []),
        ...(opts.cache
          ? [
              { key: "cache", label: "ElastiCache cache: its security group (app → cache), subnet group and replication group" },
              { key: "cache-available", label: "Wait for the cache" },
            ]
          : []),
        { key: "load-balancer", label: "Load balancer, blue and green target groups, listener" },
        { key: "load-balancer-active", label: "Wait for the load balancer" },
        { key: "instance-role", label: "Instance role and profile (SSM, artifacts, database secret)" },
        { key: "parameters", label: "Delivery contract: SSM parameters for the instances" },
        { key: "launch-template", label: "Launch template (Amazon Linux 2023, IMDSv2, detailed monitoring)" },
        { key: "fleet-blue", label: "Blue Auto Scaling group with target tracking" },
        { key: "fleet-green", label: "Green Auto Scaling group (idle)" },
        { key: "fleet-healthy", label: "Wait until every blue target is healthy" },
        ...(opts.cloudfront
          ? [
              { key: "distribution", label: "CloudFront distribution" },
              { key: "distribution-deployed", label: "Wait for CloudFront to deploy" },
            ]
          : []),
        { key: "alarms", label: "CloudWatch alarms" },
        { key: "read-back", label: "Read the stack back from AWS" },
      ];
    case "rollout":
      return [
        ...(opts.protectedEnv ? [{ key: "approval", label: "Approval by another deployer" }] : []),
        { key: "launch-template", label: "New launch template version" },
        {
          key: "fill-idle",
          label: opts.replacesWarm
            ? `Replace the warm ${opts.replacesWarm.previous} fleet with ${opts.replacesWarm.next} (rollback to ${opts.replacesWarm.previous} will no longer be instant)`
            : "Fill the idle fleet to the live capacity",
        },
        { key: "wait-healthy", label: "Wait until every new target is healthy and on the new launch template version" },
        { key: "probe-new", label: "Switchyard asks each new target itself (answers, right version)" },
        ...(opts.canarySteps ?? [100]).map((pct) => ({
          key: `shift-${pct}`,
          label: pct === 100 ? "Shift all traffic" : `Shift ${pct}% and bake`,
        })),
        { key: "promote", label: "Promote the new fleet" },
        ...(opts.cloudfront ? [{ key: "invalidate", label: "Invalidate CloudFront's cache" }] : []),
        { key: "keep-warm", label: "Keep the old fleet warm for the rollback window" },
        { key: "scale-down-old", label: "Scale the old fleet to zero" },
      ];
    case "rollback":
      return opts.warmRollback
        ? [
            { key: "check-warm", label: "Check the warm previous fleet (healthy, on its version, big enough for today's traffic)" },
            { key: "shift-back", label: "Shift all traffic back to the warm previous fleet" },
            { key: "confirm", label: "Confirm with Switchyard's own requests that the listener answers from the previous version" },
            ...(opts.cloudfront ? [{ key: "invalidate", label: "Invalidate CloudFront's cache" }] : []),
            { key: "scale-down-old", label: "Scale the rolled-back fleet to zero after the deregistration delay" },
          ]
        : [
            { key: "refill-old", label: "Refill the previous fleet" },
            { key: "wait-healthy", label: "Wait until its targets are healthy" },
            { key: "shift-back", label: "Shift all traffic back" },
            { key: "confirm", label: "Confirm with Switchyard's own requests that the listener answers from the previous version" },
            ...(opts.cloudfront ? [{ key: "invalidate", label: "Invalidate CloudFront's cache" }] : []),
            { key: "scale-down-old", label: "Scale the rolled-back fleet to zero after the deregistration delay" },
          ];
    case "teardown":
      return [
        ...(opts.cloudfront ? [{ key: "distribution", label: "Disable and delete the CloudFront distribution" }] : []),
        { key: "alarms", label: "Delete alarms" },
        { key: "fleets", label: "Delete both Auto Scaling groups" },
        { key: "load-balancer", label: "Delete listener, target groups and load balancer" },
        { key: "launch-template", label: "Delete the launch template" },
        ...(opts.database
          ? [
              {
                key: "database",
                label: opts.finalSnapshot
                  ? `Delete the database (final snapshot ${opts.finalSnapshot}) and its subnet group`
                  : "Delete the database WITHOUT a final snapshot (chosen), and its subnet group",
              },
            ]
          : []),
        ...(opts.cache ? [{ key: "cache", label: "Delete the cache (replication group, subnet group, security group)" }] : []),
        { key: "security-groups", label: "Delete security groups" },
        { key: "network", label: "Delete the S3 endpoint, NAT gateways, addresses, subnets, routes, internet gateway and VPC" },
        { key: "instance-role", label: "Delete the instance role and profile" },
        { key: "parameters", label: "Delete the delivery contract's SSM parameters" },
      ];
  }
}
