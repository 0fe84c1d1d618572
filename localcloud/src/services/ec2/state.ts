/**
 * EC2's persisted state: plain JSON records keyed by resource id. Records keep the API's
 * member names where they map one to one, so describe handlers stay thin; times are
 * simulated epoch ms.
 */
import { ec2Id } from "../../core/ids.ts";
import type { CloudApi, ModelDocument } from "../../core/types.ts";

export interface Tag {
  Key: string;
  Value: string;
}

interface Regional {
  region: string;
  Tags: Tag[];
}

export interface VpcRecord extends Regional {
  VpcId: string;
  CidrBlock: string;
  InstanceTenancy: string;
  CidrAssociationId: string;
  EnableDnsSupport: boolean;
  EnableDnsHostnames: boolean;
  EnableNetworkAddressUsageMetrics: boolean;
  DhcpOptionsId: string;
}

export interface SubnetRecord extends Regional {
  SubnetId: string;
  VpcId: string;
  CidrBlock: string;
  AvailabilityZone: string;
  MapPublicIpOnLaunch: boolean;
}

export interface InternetGatewayRecord extends Regional {
  InternetGatewayId: string;
  /** The attached VPC, if any (an IGW attaches to at most one). */
  VpcId?: string;
}

export interface RouteRecord {
  /** One of the two destinations: a CIDR, or a prefix list (gateway endpoint routes, customer routes to a list). */
  DestinationCidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  InstanceId?: string;
  NatGatewayId?: string;
  NetworkInterfaceId?: string;
  VpcPeeringConnectionId?: string;
  TransitGatewayId?: string;
  Origin: "CreateRouteTable" | "CreateRoute";
}

export interface RouteAssociationRecord {
  RouteTableAssociationId: string;
  SubnetId?: string;
  Main: boolean;
}

export interface RouteTableRecord extends Regional {
  RouteTableId: string;
  VpcId: string;
  Routes: RouteRecord[];
  Associations: RouteAssociationRecord[];
}

/** One rule as AWS models it since security group rule ids exist: one source per rule. */
export interface SecurityGroupRuleRecord {
  SecurityGroupRuleId: string;
  IsEgress: boolean;
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupId?: string;
  Description?: string;
  /** Rules are taggable resources (sgr-...) since AWS gave them ids. */
  Tags?: Tag[];
}

export interface SecurityGroupRecord extends Regional {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  Rules: SecurityGroupRuleRecord[];
}

export interface LaunchTemplateVersionRecord {
  VersionNumber: number;
  VersionDescription?: string;
  CreateTime: number;
  LaunchTemplateData: ModelDocument;
}

export interface LaunchTemplateRecord extends Regional {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  CreateTime: number;
  DefaultVersionNumber: number;
  LatestVersionNumber: number;
  /** The highest number ever given (DeleteLaunchTemplateVersions may have removed it). */
  HighestVersionNumber?: number;
  Versions: LaunchTemplateVersionRecord[];
}

export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export interface InstanceRecord extends Regional {
  InstanceId: string;
  ReservationId: string;
  AmiLaunchIndex: number;
  ImageId: string;
  InstanceType: string;
  AvailabilityZone: string;
  SubnetId: string;
  VpcId: string;
  PrivateIpAddress: string;
  PublicIpAddress?: string;
  /** The public address was assigned at launch (not an Elastic IP): a new one comes back when an EIP is disassociated. */
  AutoPublicIp?: boolean;
  SecurityGroupIds: string[];
  KeyName?: string;
  ClientToken?: string;
  LaunchTime: number;
  State: InstanceStateName;
  StateTransitionReason: string;
  StateReason?: { Code: string; Message: string };
  /** The template and the version number it resolved to, when launched from one. */
  LaunchTemplate?: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  /** Base64 as the caller sent it (RunInstances or the launch template version). */
  UserData?: string;
  MonitoringEnabled: boolean;
  /** When the instance last became running: status checks pass a while after that. */
  RunningSince?: number;
  /** When the current transitional state ends (pending, shutting-down, stopping), or when a terminated record is dropped. */
  dueAt?: number;
  /** What GetConsoleOutput returns (plain text; the bootstrap simulation appends through console.ts). */
  consoleOutput?: string;
  /** When consoleOutput last changed (simulated ms): GetConsoleOutput's Timestamp. */
  consoleOutputAt?: number;
}

export type NatGatewayStateName = "pending" | "available" | "failed" | "deleting" | "deleted";

export interface NatGatewayRecord extends Regional {
  NatGatewayId: string;
  SubnetId: string;
  VpcId: string;
  ConnectivityType: "public" | "private";
  AllocationId?: string;
  PublicIp?: string;
  PrivateIp: string;
  NetworkInterfaceId: string;
  State: NatGatewayStateName;
  CreateTime: number;
  DeleteTime?: number;
  FailureCode?: string;
  FailureMessage?: string;
  /** When the current state ends: pending -> available, deleting -> deleted, deleted/failed -> dropped. */
  dueAt?: number;
}

export interface AddressRecord extends Regional {
  AllocationId: string;
  PublicIp: string;
  AssociationId?: string;
  InstanceId?: string;
  NetworkInterfaceId?: string;
  PrivateIpAddress?: string;
}

export interface VpcEndpointRecord extends Regional {
  VpcEndpointId: string;
  VpcEndpointType: "Gateway" | "Interface";
  VpcId: string;
  ServiceName: string;
  State: "pending" | "available" | "deleting";
  PolicyDocument: string;
  RouteTableIds: string[];
  /** Interface endpoints: one network interface per subnet. */
  Interfaces: Array<{ SubnetId: string; NetworkInterfaceId: string; PrivateIpAddress: string }>;
  SecurityGroupIds: string[];
  PrivateDnsEnabled: boolean;
  CreationTimestamp: number;
  dueAt?: number;
}

export interface Ec2State {
  vpcs: Record<string, VpcRecord>;
  subnets: Record<string, SubnetRecord>;
  internetGateways: Record<string, InternetGatewayRecord>;
  routeTables: Record<string, RouteTableRecord>;
  securityGroups: Record<string, SecurityGroupRecord>;
  launchTemplates: Record<string, LaunchTemplateRecord>;
  instances: Record<string, InstanceRecord>;
  natGateways: Record<string, NatGatewayRecord>;
  addresses: Record<string, AddressRecord>;
  vpcEndpoints: Record<string, VpcEndpointRecord>;
  /** Quota overrides per account (core/quotas.ts): code -> value. */
  quotaValues: Record<string, Record<string, number>>;
  /** ClientToken -> what the call created, so a retried call returns the same resource. */
  clientTokens: Record<string, { kind: string; ids: string[]; at: number }>;
  /** Earliest dueAt of any instance: tick() returns at once before it. */
  nextDueAt: number | null;
}

export function initialEc2State(): Ec2State {
  return {
    vpcs: {},
    subnets: {},
    internetGateways: {},
    routeTables: {},
    securityGroups: {},
    launchTemplates: {},
    instances: {},
    natGateways: {},
    addresses: {},
    vpcEndpoints: {},
    quotaValues: {},
    clientTokens: {},
    nextDueAt: null,
  };
}

export function ec2State(cloud: CloudApi): Ec2State {
  const state = cloud.state<Ec2State>("ec2");
  // State persisted by an older build may miss collections added since.
  for (const [key, value] of Object.entries(initialEc2State())) {
    if ((state as unknown as Record<string, unknown>)[key] === undefined) (state as unknown as Record<string, unknown>)[key] = value;
  }
  return state;
}

/** AWS resource ids: a prefix and 17 lowercase hex digits (e.g. vpc-0a1b2c3d4e5f60718). */
export function newId(prefix: string): string {
  return ec2Id(prefix);
}

export function scheduleDue(state: Ec2State, at: number): void {
  if (state.nextDueAt === null || at < state.nextDueAt) state.nextDueAt = at;
}
