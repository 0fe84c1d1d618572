/** EC2 (ec2Query): VPC networking (NAT gateways, Elastic IPs, endpoints), security groups, launch templates and instances with lifecycles. */
import type { ServiceModule } from "../../core/types.ts";
import type { CloudApi } from "../../core/types.ts";
import { describeAccountAttributes, describeVpcClassicLink, describeVpcClassicLinkDnsSupport } from "./account.ts";
import * as addresses from "./addresses.ts";
import { describeImages, describeInstanceTypes } from "./catalog-handlers.ts";
import { getConsoleOutput } from "./console.ts";
import { describeVpcEndpointServices } from "./endpoint-services.ts";
import * as igw from "./internet-gateways.ts";
import * as instances from "./instances.ts";
import { tickInstances } from "./instance-lifecycle.ts";
import * as launchTemplates from "./launch-templates.ts";
import { deleteLaunchTemplateVersions } from "./launch-template-versions-delete.ts";
import * as natGateways from "./nat-gateways.ts";
import { describeNetworkAcls } from "./network-acls.ts";
import { describeNetworkInterfaces } from "./network-interfaces.ts";
import { describePrefixLists } from "./prefix-lists.ts";
import { describeAvailabilityZonesHandler, describeRegions } from "./regions.ts";
import * as routeTables from "./route-tables.ts";
import * as routes from "./routes.ts";
import { describeSecurityGroupRules, modifySecurityGroupRules } from "./security-group-rule-api.ts";
import * as securityGroups from "./security-groups.ts";
import { initialEc2State, type Ec2State } from "./state.ts";
import * as subnets from "./subnets.ts";
import * as tags from "./tags.ts";
import * as vpcs from "./vpcs.ts";
import { modifyVpcEndpoint } from "./vpc-endpoint-modify.ts";
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
    CreateVpc: vpcs.createVpc,
    DescribeVpcs: vpcs.describeVpcs,
    DeleteVpc: vpcs.deleteVpc,
    ModifyVpcAttribute: vpcs.modifyVpcAttribute,
    DescribeVpcAttribute: vpcs.describeVpcAttribute,
    DescribeVpcClassicLink: describeVpcClassicLink,
    DescribeVpcClassicLinkDnsSupport: describeVpcClassicLinkDnsSupport,
    DescribeAccountAttributes: describeAccountAttributes,
    CreateSubnet: subnets.createSubnet,
    DescribeSubnets: subnets.describeSubnets,
    DeleteSubnet: subnets.deleteSubnet,
    ModifySubnetAttribute: subnets.modifySubnetAttribute,
    CreateInternetGateway: igw.createInternetGateway,
    DescribeInternetGateways: igw.describeInternetGateways,
    AttachInternetGateway: igw.attachInternetGateway,
    DetachInternetGateway: igw.detachInternetGateway,
    DeleteInternetGateway: igw.deleteInternetGateway,
    CreateRouteTable: routeTables.createRouteTable,
    DescribeRouteTables: routeTables.describeRouteTables,
    CreateRoute: routes.createRoute,
    ReplaceRoute: routes.replaceRoute,
    DeleteRoute: routes.deleteRoute,
    AssociateRouteTable: routeTables.associateRouteTable,
    DisassociateRouteTable: routeTables.disassociateRouteTable,
    DeleteRouteTable: routeTables.deleteRouteTable,
    AllocateAddress: addresses.allocateAddress,
    ReleaseAddress: addresses.releaseAddress,
    AssociateAddress: addresses.associateAddress,
    DisassociateAddress: addresses.disassociateAddress,
    DescribeAddresses: addresses.describeAddresses,
    CreateNatGateway: natGateways.createNatGateway,
    DescribeNatGateways: natGateways.describeNatGateways,
    DeleteNatGateway: natGateways.deleteNatGateway,
    CreateVpcEndpoint: endpoints.createVpcEndpoint,
    DescribeVpcEndpoints: endpoints.describeVpcEndpoints,
    DeleteVpcEndpoints: endpoints.deleteVpcEndpoints,
    ModifyVpcEndpoint: modifyVpcEndpoint,
    DescribeVpcEndpointServices: describeVpcEndpointServices,
    DescribePrefixLists: describePrefixLists,
    DescribeNetworkInterfaces: describeNetworkInterfaces,
    DescribeNetworkAcls: describeNetworkAcls,
    CreateSecurityGroup: securityGroups.createSecurityGroup,
    DescribeSecurityGroups: securityGroups.describeSecurityGroups,
    AuthorizeSecurityGroupIngress: securityGroups.authorizeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: securityGroups.authorizeSecurityGroupEgress,
    RevokeSecurityGroupIngress: securityGroups.revokeSecurityGroupIngress,
    RevokeSecurityGroupEgress: securityGroups.revokeSecurityGroupEgress,
    DeleteSecurityGroup: securityGroups.deleteSecurityGroup,
    DescribeSecurityGroupRules: describeSecurityGroupRules,
    ModifySecurityGroupRules: modifySecurityGroupRules,
    DescribeAvailabilityZones: describeAvailabilityZonesHandler,
    DescribeRegions: describeRegions,
    DescribeImages: describeImages,
    DescribeInstanceTypes: describeInstanceTypes,
    CreateLaunchTemplate: launchTemplates.createLaunchTemplate,
    CreateLaunchTemplateVersion: launchTemplates.createLaunchTemplateVersion,
    DescribeLaunchTemplates: launchTemplates.describeLaunchTemplates,
    DescribeLaunchTemplateVersions: launchTemplates.describeLaunchTemplateVersions,
    ModifyLaunchTemplate: launchTemplates.modifyLaunchTemplate,
    DeleteLaunchTemplate: launchTemplates.deleteLaunchTemplate,
    DeleteLaunchTemplateVersions: deleteLaunchTemplateVersions,
    RunInstances: instances.runInstances,
    DescribeInstances: instances.describeInstances,
    DescribeInstanceStatus: instances.describeInstanceStatus,
    DescribeInstanceAttribute: instances.describeInstanceAttribute,
    TerminateInstances: instances.terminateInstances,
    StopInstances: instances.stopInstances,
    StartInstances: instances.startInstances,
    GetConsoleOutput: getConsoleOutput,
    CreateTags: tags.createTags,
    DeleteTags: tags.deleteTags,
    DescribeTags: tags.describeTags,
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
