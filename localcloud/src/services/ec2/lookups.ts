/** Region-scoped lookups that raise EC2's NotFound codes: a resource of another region does not exist for the caller. */
import type { CloudApi } from "../../core/types.ts";
import { notFound } from "./errors.ts";
import {
  ec2State,
  type InstanceRecord,
  type InternetGatewayRecord,
  type RouteTableRecord,
  type SecurityGroupRecord,
  type SubnetRecord,
  type VpcRecord,
} from "./state.ts";

function inRegion<T extends { region: string }>(record: T | undefined, region: string): T | undefined {
  return record && record.region === region ? record : undefined;
}

export function findVpc(cloud: CloudApi, region: string, id: string): VpcRecord {
  const vpc = inRegion(ec2State(cloud).vpcs[id], region);
  if (!vpc) throw notFound("InvalidVpcID.NotFound", "vpc", [id]);
  return vpc;
}

export function findSubnet(cloud: CloudApi, region: string, id: string): SubnetRecord {
  const subnet = inRegion(ec2State(cloud).subnets[id], region);
  if (!subnet) throw notFound("InvalidSubnetID.NotFound", "subnet", [id]);
  return subnet;
}

export function findInternetGateway(cloud: CloudApi, region: string, id: string): InternetGatewayRecord {
  const igw = inRegion(ec2State(cloud).internetGateways[id], region);
  if (!igw) throw notFound("InvalidInternetGatewayID.NotFound", "internet gateway", [id]);
  return igw;
}

export function findRouteTable(cloud: CloudApi, region: string, id: string): RouteTableRecord {
  const table = inRegion(ec2State(cloud).routeTables[id], region);
  if (!table) throw notFound("InvalidRouteTableID.NotFound", "route table", [id]);
  return table;
}

export function findSecurityGroup(cloud: CloudApi, region: string, id: string): SecurityGroupRecord {
  const group = inRegion(ec2State(cloud).securityGroups[id], region);
  if (!group) throw notFound("InvalidGroup.NotFound", "security group", [id]);
  return group;
}

export function findInstance(cloud: CloudApi, region: string, id: string): InstanceRecord {
  const instance = inRegion(ec2State(cloud).instances[id], region);
  if (!instance) throw notFound("InvalidInstanceID.NotFound", "instance", [id]);
  return instance;
}

/** Looks up many ids at once and names every missing one in a single error, as AWS does. */
export function findAll<T extends { region: string }>(
  collection: Record<string, T>,
  region: string,
  ids: string[],
  code: string,
  what: string,
): T[] {
  const missing = ids.filter((id) => !inRegion(collection[id], region));
  if (missing.length > 0) throw notFound(code, what, missing);
  return ids.map((id) => collection[id]);
}

export function regionRecords<T extends { region: string }>(collection: Record<string, T>, region: string): T[] {
  return Object.values(collection).filter((record) => record.region === region);
}
