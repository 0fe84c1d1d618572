/**
 * Launching instances: merges RunInstances parameters over the launch template version,
 * validates image, type, subnet and groups, then allocates addresses and starts each
 * instance pending. Used by RunInstances and by Auto Scaling through launchInstances().
 */
import { randomInt } from "node:crypto";
import { quotaValue } from "../../core/quotas.ts";
import { AwsError, type CloudApi, type ModelDocument } from "../../core/types.ts";
import { firstFreeAddress, parseCidr } from "./cidr.ts";
import { findImage, findInstanceType } from "./catalog.ts";
import { invalidParameterValue, ec2TagRules } from "./errors.ts";
import { startPending } from "./instance-lifecycle.ts";
import { usedAddresses } from "./ip-allocation.ts";
import { resolveLaunchTemplate, type LaunchTemplateRef } from "./launch-template-store.ts";
import { findSecurityGroup, findSubnet } from "./lookups.ts";
import { QUOTAS } from "./quotas.ts";
import { ec2State, newId, type InstanceRecord, type Tag } from "./state.ts";
import { mergeTags } from "../../core/tags.ts";
import { type TagSpecification, validateTags } from "./tagging.ts";

export interface LaunchRequest {
  region: string;
  minCount: number;
  maxCount: number;
  ImageId?: string;
  InstanceType?: string;
  SubnetId?: string;
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  KeyName?: string;
  UserData?: string;
  AvailabilityZone?: string;
  AssociatePublicIpAddress?: boolean;
  PrivateIpAddress?: string;
  MonitoringEnabled?: boolean;
  LaunchTemplate?: LaunchTemplateRef;
  /** Tags from the request's TagSpecifications (instance type), validated already. */
  tags: Tag[];
  /** Tags only AWS itself sets (aws:autoscaling:groupName). */
  systemTags?: Tag[];
  ClientToken?: string;
}

/** Default when neither the request nor the template names a type, as RunInstances documents. */
const DEFAULT_INSTANCE_TYPE = "m1.small";

function templateInstanceTags(specs: TagSpecification[] | undefined): Tag[] {
  return validateTags(
    (specs ?? []).filter((s) => s.ResourceType === "instance").flatMap((s) => s.Tags ?? []),
    true,
  );
}

/** An auto-assigned public IPv4 address (Elastic IPs come from addresses.ts). */
export function randomPublicIp(): string {
  return `3.${80 + randomInt(16)}.${randomInt(256)}.${1 + randomInt(254)}`;
}

export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

export function launch(cloud: CloudApi, request: LaunchRequest): { reservationId: string; instances: InstanceRecord[] } {
  const state = ec2State(cloud);
  const region = request.region;
  if (request.minCount < 1)
    throw invalidParameterValue(`Value (${request.minCount}) for parameter minCount is invalid. Expected a value greater than 0.`);
  if (request.minCount > request.maxCount) {
    throw invalidParameterValue("Value for parameter minCount must be less than or equal to the value for parameter maxCount.");
  }

  const resolved = request.LaunchTemplate ? resolveLaunchTemplate(cloud, region, request.LaunchTemplate) : undefined;
  const data: ModelDocument = resolved?.version.LaunchTemplateData ?? {};
  const templateNic = (data.NetworkInterfaces ?? []).find((n: ModelDocument) => (n.DeviceIndex ?? 0) === 0) ?? {};

  const imageId = request.ImageId ?? data.ImageId;
  if (!imageId) throw new AwsError("MissingParameter", "The request must contain the parameter ImageId");
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(imageId))
    throw new AwsError("InvalidAMIID.Malformed", `Invalid id: "${imageId}" (expecting "ami-...")`);
  const image = findImage(region, imageId);
  if (!image) throw new AwsError("InvalidAMIID.NotFound", `The image id '[${imageId}]' does not exist`);

  const instanceType = request.InstanceType ?? data.InstanceType ?? DEFAULT_INSTANCE_TYPE;
  const typeSpec = findInstanceType(instanceType);
  if (!typeSpec && instanceType !== DEFAULT_INSTANCE_TYPE) throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  if (typeSpec && typeSpec.arch !== image.Architecture) {
    throw invalidParameterValue(
      `The architecture '${typeSpec.arch}' of the specified instance type does not match the architecture '${image.Architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.`,
    );
  }

  const subnetId = request.SubnetId ?? templateNic.SubnetId;
  if (!subnetId) {
    throw new AwsError("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
  }
  const subnet = findSubnet(cloud, region, subnetId);
  const zone = request.AvailabilityZone ?? data.Placement?.AvailabilityZone;
  if (zone && zone !== subnet.AvailabilityZone) {
    throw invalidParameterValue(
      `Value (${zone}) for parameter availabilityZone is invalid. Subnet '${subnet.SubnetId}' is in the availability zone ${subnet.AvailabilityZone}`,
    );
  }

  const groupIds: string[] = [...(request.SecurityGroupIds ?? []), ...(templateNic.Groups ?? [])];
  if (groupIds.length === 0 && !request.SecurityGroups?.length) groupIds.push(...(data.SecurityGroupIds ?? []));
  const groupNames: string[] = request.SecurityGroups ?? (groupIds.length === 0 ? (data.SecurityGroups ?? []) : []);
  for (const name of groupNames) {
    const byName = Object.values(state.securityGroups).find((g) => g.VpcId === subnet.VpcId && g.GroupName === name);
    if (!byName) throw new AwsError("InvalidGroup.NotFound", `The security group '${name}' does not exist in VPC '${subnet.VpcId}'`);
    groupIds.push(byName.GroupId);
  }
  for (const id of groupIds) {
    const group = findSecurityGroup(cloud, region, id);
    if (group.VpcId !== subnet.VpcId) {
      throw new AwsError("InvalidParameter", `Security group ${id} and subnet ${subnet.SubnetId} belong to different networks.`);
    }
  }
  if (new Set(groupIds).size > quotaValue(cloud, cloud.accountId, QUOTAS.groupsPerInterface)) {
    throw new AwsError("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached.");
  }
  if (groupIds.length === 0) {
    const fallback = Object.values(state.securityGroups).find((g) => g.VpcId === subnet.VpcId && g.GroupName === "default");
    if (fallback) groupIds.push(fallback.GroupId);
  }

  const userData = request.UserData ?? data.UserData;
  if (userData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(String(userData).replace(/\s/g, ""))) {
    throw invalidParameterValue("Invalid BASE64 encoding of user data");
  }

  const cidr = parseCidr(subnet.CidrBlock)!;
  const used = usedAddresses(state, subnet.SubnetId);
  const addresses: string[] = [];
  if (request.PrivateIpAddress) {
    if (used.has(request.PrivateIpAddress)) {
      throw new AwsError("InvalidIPAddress.InUse", `Address ${request.PrivateIpAddress} is in use.`);
    }
    addresses.push(request.PrivateIpAddress);
  } else {
    while (addresses.length < request.maxCount) {
      const ip = firstFreeAddress(cidr, used);
      if (!ip) break;
      used.add(ip);
      addresses.push(ip);
    }
  }
  if (addresses.length < request.minCount) {
    throw new AwsError(
      "InsufficientFreeAddressesInSubnet",
      `There are not enough free addresses in subnet '${subnet.SubnetId}' to satisfy the requested number of instances.`,
    );
  }

  const publicIp = request.AssociatePublicIpAddress ?? templateNic.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch;
  const launchTemplateTags: Tag[] = resolved
    ? [
        { Key: "aws:ec2launchtemplate:id", Value: resolved.template.LaunchTemplateId },
        { Key: "aws:ec2launchtemplate:version", Value: String(resolved.version.VersionNumber) },
      ]
    : [];
  const tags = [request.tags, launchTemplateTags, request.systemTags ?? []].reduce(
    (merged, added) => mergeTags(merged, added, ec2TagRules),
    templateInstanceTags(data.TagSpecifications),
  );

  const now = cloud.now();
  const reservationId = newId("r");
  const instances = addresses.map((ip, index) => {
    const instance: InstanceRecord = {
      InstanceId: newId("i"),
      ReservationId: reservationId,
      AmiLaunchIndex: index,
      region,
      ImageId: imageId,
      InstanceType: instanceType,
      AvailabilityZone: subnet.AvailabilityZone,
      SubnetId: subnet.SubnetId,
      VpcId: subnet.VpcId,
      PrivateIpAddress: ip,
      PublicIpAddress: publicIp ? randomPublicIp() : undefined,
      AutoPublicIp: Boolean(publicIp),
      SecurityGroupIds: [...new Set(groupIds)],
      KeyName: request.KeyName ?? data.KeyName,
      ClientToken: request.ClientToken,
      LaunchTime: now,
      State: "pending",
      StateTransitionReason: "",
      LaunchTemplate: resolved
        ? {
            LaunchTemplateId: resolved.template.LaunchTemplateId,
            LaunchTemplateName: resolved.template.LaunchTemplateName,
            Version: String(resolved.version.VersionNumber),
          }
        : undefined,
      UserData: userData,
      MonitoringEnabled: request.MonitoringEnabled ?? data.Monitoring?.Enabled ?? false,
      Tags: tags,
    };
    state.instances[instance.InstanceId] = instance;
    startPending(state, instance, now);
    return instance;
  });
  cloud.markDirty();
  return { reservationId, instances };
}
