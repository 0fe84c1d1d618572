/**
 * What ELBv2 and RDS need to know from EC2 (instances, subnets, VPCs, security groups), read
 * through EC2's typed lookups: a rename on either side breaks the build, not a behaviour.
 */
import { AwsError, type CloudApi } from "../../core/types.ts";
import { getInstance } from "../ec2/api.ts";
import { findSecurityGroup, findSubnet, findVpc } from "../ec2/lookups.ts";

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

/** An EC2 find* lookup that throws its NotFound AwsError: the record, or null when it does not exist in the region. */
function orNull<T>(find: (cloud: CloudApi, region: string, id: string) => T, cloud: CloudApi, region: string, id: string): T | null {
  try {
    return find(cloud, region, id);
  } catch (err) {
    if (err instanceof AwsError) return null;
    throw err;
  }
}

/** The instance's facts; null when EC2 has no such instance. */
export function lookupInstance(cloud: CloudApi, instanceId: string): InstanceFacts | null {
  const inst = getInstance(cloud, instanceId);
  if (!inst) return null;
  return {
    id: instanceId,
    state: inst.State,
    vpcId: inst.VpcId,
    subnetId: inst.SubnetId,
    availabilityZone: inst.AvailabilityZone,
    privateIp: inst.PrivateIpAddress,
  };
}

/** The subnet's VPC and zone; null when there is no such subnet in the region. */
export function lookupSubnet(cloud: CloudApi, region: string, subnetId: string): SubnetFacts | null {
  const sn = orNull(findSubnet, cloud, region, subnetId);
  return sn && { id: subnetId, vpcId: sn.VpcId, availabilityZone: sn.AvailabilityZone };
}

/** Whether the VPC exists in the region. */
export function vpcExists(cloud: CloudApi, region: string, vpcId: string): boolean {
  return orNull(findVpc, cloud, region, vpcId) !== null;
}

/** The group's VPC; null when there is no such group in the region. */
export function securityGroupVpc(cloud: CloudApi, region: string, groupId: string): string | null {
  return orNull(findSecurityGroup, cloud, region, groupId)?.VpcId ?? null;
}

export const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SG_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
