/** EC2 (ec2Query): VPC networking (NAT gateways, Elastic IPs, endpoints), security groups, launch templates and instances with lifecycles. */
import type { ServiceModule } from "../../core/types.ts";
import type { CloudApi } from "../../core/types.ts";
import { DescribeAccountAttributes, DescribeVpcClassicLink, DescribeVpcClassicLinkDnsSupport } from "./account.ts";
import * as addresses from "./addresses.ts";
import { DescribeImages, DescribeInstanceTypes } from "./catalog-handlers.ts";
import { GetConsoleOutput } from "./console.ts";
import { DescribeVpcEndpointServices } from "./endpoint-services.ts";
import * as igw from "./internet-gateways.ts";
import * as instances from "./instances.ts";
import { tickInstances } from "./instance-lifecycle.ts";
import * as launchTemplates from "./launch-templates.ts";
import { DeleteLaunchTemplateVersions } from "./launch-template-versions-delete.ts";
import * as natGateways from "./nat-gateways.ts";
import { DescribeNetworkAcls } from "./network-acls.ts";
import { DescribeNetworkInterfaces } from "./network-interfaces.ts";
import { DescribePrefixLists } from "./prefix-lists.ts";
import { DescribeAvailabilityZones, DescribeRegions } from "./regions.ts";
import * as routeTables from "./route-tables.ts";
import * as routes from "./routes.ts";
import { DescribeSecurityGroupRules, ModifySecurityGroupRules } from "./security-group-rule-api.ts";
import * as securityGroups from "./security-groups.ts";
import { initialEc2State, type Ec2State } from "./state.ts";
import * as subnets from "./subnets.ts";
import * as tags from "./tags.ts";
import * as vpcs from "./vpcs.ts";
import { ModifyVpcEndpoint } from "./vpc-endpoint-modify.ts";
import * as endpoints from "./vpc-endpoints.ts";

/** Instances, then the network resources with lifecycles (NAT gateways, interface endpoints). */
function tick(cloud: CloudApi, now: number): void {
  tickInstances(cloud, now);
  natGateways.tickNatGateways(cloud, now);
  endpoints.tickVpcEndpoints(cloud, now);
}

const service: ServiceModule<Ec2State> = {
  name: "ec2",
  initialState: initialEc2State,
  handlers: {
    CreateVpc: vpcs.CreateVpc,
    DescribeVpcs: vpcs.DescribeVpcs,
    DeleteVpc: vpcs.DeleteVpc,
    ModifyVpcAttribute: vpcs.ModifyVpcAttribute,
    DescribeVpcAttribute: vpcs.DescribeVpcAttribute,
    DescribeVpcClassicLink,
    DescribeVpcClassicLinkDnsSupport,
    DescribeAccountAttributes,
    CreateSubnet: subnets.CreateSubnet,
    DescribeSubnets: subnets.DescribeSubnets,
    DeleteSubnet: subnets.DeleteSubnet,
    ModifySubnetAttribute: subnets.ModifySubnetAttribute,
    CreateInternetGateway: igw.CreateInternetGateway,
    DescribeInternetGateways: igw.DescribeInternetGateways,
    AttachInternetGateway: igw.AttachInternetGateway,
    DetachInternetGateway: igw.DetachInternetGateway,
    DeleteInternetGateway: igw.DeleteInternetGateway,
    CreateRouteTable: routeTables.CreateRouteTable,
    DescribeRouteTables: routeTables.DescribeRouteTables,
    CreateRoute: routes.CreateRoute,
    ReplaceRoute: routes.ReplaceRoute,
    DeleteRoute: routes.DeleteRoute,
    AssociateRouteTable: routeTables.AssociateRouteTable,
    DisassociateRouteTable: routeTables.DisassociateRouteTable,
    DeleteRouteTable: routeTables.DeleteRouteTable,
    AllocateAddress: addresses.AllocateAddress,
    ReleaseAddress: addresses.ReleaseAddress,
    AssociateAddress: addresses.AssociateAddress,
    DisassociateAddress: addresses.DisassociateAddress,
    DescribeAddresses: addresses.DescribeAddresses,
    CreateNatGateway: natGateways.CreateNatGateway,
    DescribeNatGateways: natGateways.DescribeNatGateways,
    DeleteNatGateway: natGateways.DeleteNatGateway,
    CreateVpcEndpoint: endpoints.CreateVpcEndpoint,
    DescribeVpcEndpoints: endpoints.DescribeVpcEndpoints,
    DeleteVpcEndpoints: endpoints.DeleteVpcEndpoints,
    ModifyVpcEndpoint,
    DescribeVpcEndpointServices,
    DescribePrefixLists,
    DescribeNetworkInterfaces,
    DescribeNetworkAcls,
    CreateSecurityGroup: securityGroups.CreateSecurityGroup,
    DescribeSecurityGroups: securityGroups.DescribeSecurityGroups,
    AuthorizeSecurityGroupIngress: securityGroups.AuthorizeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: securityGroups.AuthorizeSecurityGroupEgress,
    RevokeSecurityGroupIngress: securityGroups.RevokeSecurityGroupIngress,
    RevokeSecurityGroupEgress: securityGroups.RevokeSecurityGroupEgress,
    DeleteSecurityGroup: securityGroups.DeleteSecurityGroup,
    DescribeSecurityGroupRules,
    ModifySecurityGroupRules,
    DescribeAvailabilityZones,
    DescribeRegions,
    DescribeImages,
    DescribeInstanceTypes,
    CreateLaunchTemplate: launchTemplates.CreateLaunchTemplate,
    CreateLaunchTemplateVersion: launchTemplates.CreateLaunchTemplateVersion,
    DescribeLaunchTemplates: launchTemplates.DescribeLaunchTemplates,
    DescribeLaunchTemplateVersions: launchTemplates.DescribeLaunchTemplateVersions,
    ModifyLaunchTemplate: launchTemplates.ModifyLaunchTemplate,
    DeleteLaunchTemplate: launchTemplates.DeleteLaunchTemplate,
    DeleteLaunchTemplateVersions,
    RunInstances: instances.RunInstances,
    DescribeInstances: instances.DescribeInstances,
    DescribeInstanceStatus: instances.DescribeInstanceStatus,
    DescribeInstanceAttribute: instances.DescribeInstanceAttribute,
    TerminateInstances: instances.TerminateInstances,
    StopInstances: instances.StopInstances,
    StartInstances: instances.StartInstances,
    GetConsoleOutput,
    CreateTags: tags.CreateTags,
    DeleteTags: tags.DeleteTags,
    DescribeTags: tags.DescribeTags,
  },
  tick,
};
export default service;

export { launchInstances, terminateInstance, getInstance, instanceUserData, describeAvailabilityZones } from "./api.ts";
export type { Ec2Instance, LaunchInstancesSpec } from "./api.ts";
export { appendConsoleOutput, consoleOutputOf } from "./console.ts";
export { pathOut } from "./reachability.ts";
export type { Destination } from "./reachability.ts";
export { networkInterfaces } from "./network-interfaces.ts";
