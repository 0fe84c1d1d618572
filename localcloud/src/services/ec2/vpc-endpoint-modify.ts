/** ModifyVpcEndpoint: route tables (gateway), subnets, groups and private DNS (interface), policy. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { required } from "./errors.ts";
import { ec2State } from "./state.ts";
import {
  addEndpointRoutes,
  addInterfaces,
  checkGroups,
  checkPrivateDns,
  checkRouteTables,
  checkSubnets,
  DEFAULT_POLICY,
  removeEndpointRoutes,
} from "./vpc-endpoint-rules.ts";
import { findEndpoint } from "./vpc-endpoints.ts";

export function modifyVpcEndpoint(
  input: {
    VpcEndpointId?: string;
    ResetPolicy?: boolean;
    PolicyDocument?: string;
    AddRouteTableIds?: string[];
    RemoveRouteTableIds?: string[];
    AddSubnetIds?: string[];
    RemoveSubnetIds?: string[];
    AddSecurityGroupIds?: string[];
    RemoveSecurityGroupIds?: string[];
    PrivateDnsEnabled?: boolean;
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const endpoint = findEndpoint(ctx, required(input.VpcEndpointId, "VpcEndpointId"));
  if (endpoint.State === "deleting") throw new AwsError("IncorrectState", `The VPC endpoint ${endpoint.VpcEndpointId} is being deleted.`);
  const gateway = endpoint.VpcEndpointType === "Gateway";
  const interfaceOnly =
    [input.AddSubnetIds, input.RemoveSubnetIds, input.AddSecurityGroupIds, input.RemoveSecurityGroupIds].some((l) => l?.length) ||
    input.PrivateDnsEnabled !== undefined;
  if (gateway && interfaceOnly)
    throw new AwsError("InvalidParameter", "Subnets, security groups and private DNS apply to interface endpoints only.");
  if (!gateway && (input.AddRouteTableIds?.length || input.RemoveRouteTableIds?.length))
    throw new AwsError("InvalidParameter", "Route tables apply to gateway endpoints only.");
  if (input.PolicyDocument !== undefined && input.ResetPolicy)
    throw new AwsError("InvalidParameterCombination", "PolicyDocument and ResetPolicy cannot be used together.");
  if (input.PolicyDocument !== undefined) {
    try {
      JSON.parse(input.PolicyDocument);
    } catch {
      throw new AwsError("MalformedPolicyDocument", "The policy document is not valid JSON.");
    }
  }

  // Validate everything before changing anything, so a refused call leaves the endpoint as it was.
  const addTables = [...new Set(input.AddRouteTableIds ?? [])].filter((id) => !endpoint.RouteTableIds.includes(id));
  checkRouteTables(state, ctx.region, endpoint.VpcId, addTables);
  const removeSubnets = new Set(input.RemoveSubnetIds ?? []);
  const keptSubnets = endpoint.Interfaces.map((i) => i.SubnetId).filter((id) => !removeSubnets.has(id));
  const addSubnets = [...new Set(input.AddSubnetIds ?? [])].filter((id) => !keptSubnets.includes(id));
  checkSubnets(state, ctx.region, endpoint.VpcId, addSubnets, keptSubnets);
  const addGroups = [...new Set(input.AddSecurityGroupIds ?? [])];
  checkGroups(state, ctx.region, endpoint.VpcId, addGroups);
  const groups = [...new Set([...endpoint.SecurityGroupIds, ...addGroups])].filter(
    (id) => !(input.RemoveSecurityGroupIds ?? []).includes(id),
  );
  if (!gateway && groups.length === 0)
    throw new AwsError("InvalidParameter", "An interface endpoint must keep at least one security group.");
  if (input.PrivateDnsEnabled && !endpoint.PrivateDnsEnabled) checkPrivateDns(state, endpoint);

  addEndpointRoutes(state, endpoint, addTables);
  endpoint.RouteTableIds.push(...addTables);
  const removeTables = (input.RemoveRouteTableIds ?? []).filter((id) => endpoint.RouteTableIds.includes(id));
  removeEndpointRoutes(state, endpoint, removeTables);
  endpoint.RouteTableIds = endpoint.RouteTableIds.filter((id) => !removeTables.includes(id));
  endpoint.Interfaces = endpoint.Interfaces.filter((i) => !removeSubnets.has(i.SubnetId));
  addInterfaces(state, endpoint, addSubnets);
  endpoint.SecurityGroupIds = groups;
  if (input.PrivateDnsEnabled !== undefined) endpoint.PrivateDnsEnabled = input.PrivateDnsEnabled;
  if (input.ResetPolicy) endpoint.PolicyDocument = DEFAULT_POLICY;
  if (input.PolicyDocument !== undefined) endpoint.PolicyDocument = input.PolicyDocument;
  ctx.cloud.markDirty();
  return { Return: true };
}
