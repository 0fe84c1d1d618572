/**
 * What ELBv2 and RDS need to know from EC2 (instances, subnets, VPCs, security groups), read
 * through the EC2 module's exports. EC2 was written in parallel, so every lookup is optional:
 * when an export is missing we accept any well-formed id (and say so by returning undefined).
 */
import type { CloudApi } from "../../core/types.ts";
import { AwsError } from "../../core/types.ts";
import * as ec2 from "../ec2/index.ts";
import * as ec2Lookups from "../ec2/lookups.ts";

type AnyFn = ((...args: any[]) => any) | undefined;
const ec2Exports = ec2 as unknown as Record<string, AnyFn>;
const lookupExports = ec2Lookups as unknown as Record<string, AnyFn>;

export interface InstanceFacts {
  id: string;
  /** EC2 state name: pending, running, shutting-down, terminated, stopping, stopped. */
  state: string;
  vpcId?: string;
  subnetId?: string;
  availabilityZone?: string;
  privateIp?: string;
}

export interface SubnetFacts {
  id: string;
  vpcId?: string;
  availabilityZone: string;
}

function pick(obj: any, ...keys: string[]): any {
  for (const k of keys) if (obj?.[k] !== undefined) return obj[k];
  return undefined;
}

/** Call an EC2 find* lookup that throws its NotFound AwsError: the record, null when not found, undefined when EC2 has no such lookup. */
function find(name: string, cloud: CloudApi, region: string, id: string): any {
  const fn = lookupExports[name] ?? ec2Exports[name];
  if (typeof fn !== "function") return undefined;
  try {
    return fn(cloud, region, id) ?? null;
  } catch (err) {
    if (err instanceof AwsError) return null;
    throw err;
  }
}

/** undefined: EC2 cannot tell (no lookup export); null: EC2 says the instance does not exist. */
export function lookupInstance(cloud: CloudApi, instanceId: string): InstanceFacts | null | undefined {
  const getInstance = ec2Exports.getInstance;
  if (typeof getInstance !== "function") return undefined;
  const inst = getInstance(cloud, instanceId);
  if (!inst) return null;
  const stateObj = pick(inst, "State", "state");
  const state = typeof stateObj === "string" ? stateObj : pick(stateObj, "Name", "name");
  const placement = pick(inst, "Placement", "placement");
  return {
    id: instanceId,
    state: String(state ?? "running"),
    vpcId: pick(inst, "VpcId", "vpcId"),
    subnetId: pick(inst, "SubnetId", "subnetId"),
    availabilityZone: pick(placement, "AvailabilityZone", "availabilityZone") ?? pick(inst, "AvailabilityZone", "availabilityZone"),
    privateIp: pick(inst, "PrivateIpAddress", "privateIpAddress", "privateIp"),
  };
}

/** undefined: EC2 cannot tell; null: no such subnet in the region. */
export function lookupSubnet(cloud: CloudApi, region: string, subnetId: string): SubnetFacts | null | undefined {
  const sn = find("findSubnet", cloud, region, subnetId);
  if (!sn) return sn;
  return { id: subnetId, vpcId: pick(sn, "VpcId", "vpcId"), availabilityZone: pick(sn, "AvailabilityZone", "availabilityZone") };
}

/** undefined: EC2 cannot tell; otherwise whether the VPC exists in the region. */
export function vpcExists(cloud: CloudApi, region: string, vpcId: string): boolean | undefined {
  const vpc = find("findVpc", cloud, region, vpcId);
  return vpc === undefined ? undefined : Boolean(vpc);
}

/** undefined: EC2 cannot tell; null: no such group; otherwise the group's VPC. */
export function securityGroupVpc(cloud: CloudApi, region: string, groupId: string): string | null | undefined {
  const sg = find("findSecurityGroup", cloud, region, groupId);
  if (!sg) return sg;
  return pick(sg, "VpcId", "vpcId") ?? "";
}

export const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SG_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
