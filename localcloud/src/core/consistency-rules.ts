/**
 * Which calls create what, and which Describe* calls look it up, for the consistency lag
 * (consistency.ts). Inputs and outputs are the handlers' model-shaped plain objects. The error
 * codes and messages are the ones each service answers for an id it does not know, so a client
 * that retries NotFound on AWS (as AWS's eventual-consistency guidance says) works here too.
 */
import { AwsError, type ServiceName } from "./types.ts";

export type Fields = Record<string, unknown>;

interface Created {
  kind: string;
  ids: string[];
}

interface LookedUp extends Created {
  error: (ids: string[]) => AwsError;
}

export interface OperationRules {
  /** Ids a successful call created (from its output; the input for calls that answer nothing useful). */
  creates?: (output: Fields, input: Fields) => Created[];
  /** Ids a call names, with the error it answers when one is not visible yet. */
  lookup?: (input: Fields) => LookedUp[];
}

const field = (o: unknown, key: string): unknown => (o && typeof o === "object" ? (o as Fields)[key] : undefined);
const str = (v: unknown): string[] => (typeof v === "string" && v ? [v] : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : []);

/** EC2's "The vpc ID 'vpc-1' does not exist" / "The vpc IDs 'vpc-1, vpc-2' do not exist". */
function ec2NotFound(code: string, what: string) {
  return (ids: string[]) =>
    new AwsError(code, ids.length > 1 ? `The ${what} IDs '${ids.join(", ")}' do not exist` : `The ${what} ID '${ids[0]}' does not exist`);
}

/** An EC2 resource created as output[wrapper][idField] (or output[idField]), described by input[listField]. */
function ec2Resource(
  kind: string,
  wrapper: string | undefined,
  idField: string,
  describeOp: string,
  listField: string,
  code: string,
  what: string,
): Record<string, OperationRules> {
  return {
    [`Create${kind}`]: { creates: (out) => [{ kind, ids: str(field(wrapper ? field(out, wrapper) : out, idField)) }] },
    [describeOp]: { lookup: (input) => [{ kind, ids: strs(input[listField]), error: ec2NotFound(code, what) }] },
  };
}

const ec2: Record<string, OperationRules> = {
  ...ec2Resource("Vpc", "Vpc", "VpcId", "DescribeVpcs", "VpcIds", "InvalidVpcID.NotFound", "vpc"),
  ...ec2Resource("Subnet", "Subnet", "SubnetId", "DescribeSubnets", "SubnetIds", "InvalidSubnetID.NotFound", "subnet"),
  ...ec2Resource("SecurityGroup", undefined, "GroupId", "DescribeSecurityGroups", "GroupIds", "InvalidGroup.NotFound", "security group"),
  ...ec2Resource(
    "RouteTable",
    "RouteTable",
    "RouteTableId",
    "DescribeRouteTables",
    "RouteTableIds",
    "InvalidRouteTableID.NotFound",
    "route table",
  ),
  ...ec2Resource(
    "InternetGateway",
    "InternetGateway",
    "InternetGatewayId",
    "DescribeInternetGateways",
    "InternetGatewayIds",
    "InvalidInternetGatewayID.NotFound",
    "internet gateway",
  ),
  ...ec2Resource("NatGateway", "NatGateway", "NatGatewayId", "DescribeNatGateways", "NatGatewayIds", "NatGatewayNotFound", "nat gateway"),
  ...ec2Resource(
    "VpcEndpoint",
    "VpcEndpoint",
    "VpcEndpointId",
    "DescribeVpcEndpoints",
    "VpcEndpointIds",
    "InvalidVpcEndpointId.NotFound",
    "vpc endpoint",
  ),
  CreateLaunchTemplate: {
    creates: (out) => [{ kind: "LaunchTemplate", ids: str(field(field(out, "LaunchTemplate"), "LaunchTemplateId")) }],
  },
  DescribeLaunchTemplates: {
    lookup: (input) => [
      {
        kind: "LaunchTemplate",
        ids: strs(input.LaunchTemplateIds),
        error: (ids) =>
          new AwsError("InvalidLaunchTemplateId.NotFound", `The specified launch template, with template ID ${ids[0]}, does not exist.`),
      },
    ],
  },
  RunInstances: {
    creates: (out) => [
      { kind: "Instance", ids: (Array.isArray(out.Instances) ? out.Instances : []).flatMap((i: unknown) => str(field(i, "InstanceId"))) },
    ],
  },
  DescribeInstances: {
    lookup: (input) => [{ kind: "Instance", ids: strs(input.InstanceIds), error: ec2NotFound("InvalidInstanceID.NotFound", "instance") }],
  },
  DescribeInstanceStatus: {
    lookup: (input) => [{ kind: "Instance", ids: strs(input.InstanceIds), error: ec2NotFound("InvalidInstanceID.NotFound", "instance") }],
  },
};

const lbNotFound = () => new AwsError("LoadBalancerNotFound", "One or more load balancers not found");
const tgNotFound = () => new AwsError("TargetGroupNotFound", "One or more target groups not found");
const arnsAndNames = (out: Fields, list: string, arnField: string, kind: string): Created[] => {
  const items = Array.isArray(out[list]) ? (out[list] as unknown[]) : [];
  return [
    { kind, ids: items.flatMap((i) => str(field(i, arnField))) },
    { kind: `${kind}Name`, ids: items.flatMap((i) => str(field(i, list === "LoadBalancers" ? "LoadBalancerName" : "TargetGroupName"))) },
  ];
};

const elasticloadbalancing: Record<string, OperationRules> = {
  CreateLoadBalancer: { creates: (out) => arnsAndNames(out, "LoadBalancers", "LoadBalancerArn", "LoadBalancer") },
  DescribeLoadBalancers: {
    lookup: (input) => [
      { kind: "LoadBalancer", ids: strs(input.LoadBalancerArns), error: lbNotFound },
      { kind: "LoadBalancerName", ids: strs(input.Names), error: lbNotFound },
    ],
  },
  DescribeListeners: { lookup: (input) => [{ kind: "LoadBalancer", ids: str(input.LoadBalancerArn), error: lbNotFound }] },
  CreateTargetGroup: { creates: (out) => arnsAndNames(out, "TargetGroups", "TargetGroupArn", "TargetGroup") },
  DescribeTargetGroups: {
    lookup: (input) => [
      { kind: "TargetGroup", ids: strs(input.TargetGroupArns), error: tgNotFound },
      { kind: "TargetGroupName", ids: strs(input.Names), error: tgNotFound },
      { kind: "LoadBalancer", ids: str(input.LoadBalancerArn), error: lbNotFound },
    ],
  },
  DescribeTargetHealth: { lookup: (input) => [{ kind: "TargetGroup", ids: str(input.TargetGroupArn), error: tgNotFound }] },
};

const rds: Record<string, OperationRules> = {
  CreateDBInstance: { creates: (out) => [{ kind: "DBInstance", ids: str(field(field(out, "DBInstance"), "DBInstanceIdentifier")) }] },
  DescribeDBInstances: {
    lookup: (input) => [
      {
        kind: "DBInstance",
        ids: str(input.DBInstanceIdentifier),
        error: (ids) => new AwsError("DBInstanceNotFound", `DBInstance ${ids[0]} not found.`, 404),
      },
    ],
  },
  CreateDBSubnetGroup: { creates: (out) => [{ kind: "DBSubnetGroup", ids: str(field(field(out, "DBSubnetGroup"), "DBSubnetGroupName")) }] },
  DescribeDBSubnetGroups: {
    lookup: (input) => [
      {
        kind: "DBSubnetGroup",
        ids: str(input.DBSubnetGroupName),
        error: (ids) => new AwsError("DBSubnetGroupNotFoundFault", `DBSubnetGroup ${ids[0]} not found.`, 404),
      },
    ],
  },
};

const noSuchDistribution = () => new AwsError("NoSuchDistribution", "The specified distribution does not exist.", 404);
const cloudfront: Record<string, OperationRules> = {
  CreateDistribution: { creates: (out) => [{ kind: "Distribution", ids: str(field(field(out, "Distribution"), "Id")) }] },
  CreateDistributionWithTags: { creates: (out) => [{ kind: "Distribution", ids: str(field(field(out, "Distribution"), "Id")) }] },
  GetDistribution: { lookup: (input) => [{ kind: "Distribution", ids: str(input.Id), error: noSuchDistribution }] },
  GetDistributionConfig: { lookup: (input) => [{ kind: "Distribution", ids: str(input.Id), error: noSuchDistribution }] },
};

/**
 * Auto Scaling's and CloudWatch's Describe* calls answer an empty list for unknown names rather
 * than an error, so a lag there is invisible to the NotFound contract and is not modelled.
 */
export const CONSISTENCY_RULES: Partial<Record<ServiceName, Record<string, OperationRules>>> = {
  ec2,
  elasticloadbalancing,
  rds,
  cloudfront,
};
