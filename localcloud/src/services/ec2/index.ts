/** EC2 (ec2Query): VPC networking, security groups, launch templates and instances with lifecycles. */
import type { ServiceModule } from "../../core/types.ts";
import { DescribeImages, DescribeInstanceTypes } from "./catalog-handlers.ts";
import { GetConsoleOutput } from "./console.ts";
import * as igw from "./internet-gateways.ts";
import * as instances from "./instances.ts";
import { tickInstances } from "./instance-lifecycle.ts";
import * as launchTemplates from "./launch-templates.ts";
import { DescribeAvailabilityZones, DescribeRegions } from "./regions.ts";
import * as routeTables from "./route-tables.ts";
import * as securityGroups from "./security-groups.ts";
import { initialEc2State, type Ec2State } from "./state.ts";
import * as subnets from "./subnets.ts";
import * as tags from "./tags.ts";
import * as vpcs from "./vpcs.ts";

const service: ServiceModule<Ec2State> = {
  name: "ec2",
  initialState: initialEc2State,
  handlers: {
    CreateVpc: vpcs.CreateVpc,
    DescribeVpcs: vpcs.DescribeVpcs,
    DeleteVpc: vpcs.DeleteVpc,
    ModifyVpcAttribute: vpcs.ModifyVpcAttribute,
    DescribeVpcAttribute: vpcs.DescribeVpcAttribute,
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
    CreateRoute: routeTables.CreateRoute,
    DeleteRoute: routeTables.DeleteRoute,
    AssociateRouteTable: routeTables.AssociateRouteTable,
    DisassociateRouteTable: routeTables.DisassociateRouteTable,
    DeleteRouteTable: routeTables.DeleteRouteTable,
    CreateSecurityGroup: securityGroups.CreateSecurityGroup,
    DescribeSecurityGroups: securityGroups.DescribeSecurityGroups,
    AuthorizeSecurityGroupIngress: securityGroups.AuthorizeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: securityGroups.AuthorizeSecurityGroupEgress,
    RevokeSecurityGroupIngress: securityGroups.RevokeSecurityGroupIngress,
    RevokeSecurityGroupEgress: securityGroups.RevokeSecurityGroupEgress,
    DeleteSecurityGroup: securityGroups.DeleteSecurityGroup,
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
  tick: tickInstances,
};
export default service;

export { launchInstances, terminateInstance, getInstance, instanceUserData, describeAvailabilityZones } from "./api.ts";
export type { Ec2Instance, LaunchInstancesSpec } from "./api.ts";
export { appendConsoleOutput, consoleOutputOf } from "./console.ts";
