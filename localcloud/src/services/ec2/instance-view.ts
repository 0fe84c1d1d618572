/** How an instance record looks through DescribeInstances, and the filters it answers to. */
import { createHash } from "node:crypto";
import { findInstanceType } from "./catalog.ts";
import type { FilterFields } from "./filters.ts";
import { stateOut, STATE_CODES } from "./instance-lifecycle.ts";
import { privateDnsName, publicDnsName } from "./instance-launch.ts";
import type { Ec2State, InstanceRecord } from "./state.ts";
import { tagsOut } from "./tagging.ts";

function derivedId(prefix: string, instance: InstanceRecord, what: string): string {
  return `${prefix}-${createHash("sha256").update(`${instance.InstanceId}/${what}`).digest("hex").slice(0, 17)}`;
}

/** The primary network interface's id: derived from the instance id, so it is stable without being stored. */
export function instanceEniId(instance: InstanceRecord): string {
  return derivedId("eni", instance, "eth0");
}

export function instanceEniAttachmentId(instance: InstanceRecord): string {
  return derivedId("eni-attach", instance, "eth0");
}

export function instanceMacAddress(instance: InstanceRecord): string {
  return macAddress(instance);
}

function macAddress(instance: InstanceRecord): string {
  const hex = createHash("sha256").update(`${instance.InstanceId}/mac`).digest("hex");
  return `0e:${hex.slice(0, 10).match(/../g)!.join(":")}`;
}

/** Terminated instances have released their network interface, as in AWS. */
function attachedToNetwork(instance: InstanceRecord): boolean {
  return instance.State !== "terminated";
}

export function instanceOut(state: Ec2State, instance: InstanceRecord, ownerId: string) {
  const networked = attachedToNetwork(instance);
  const groups = instance.SecurityGroupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.GroupName ?? "" }));
  const typeSpec = findInstanceType(instance.InstanceType);
  const elastic = Object.values(state.addresses).find((a) => a.InstanceId === instance.InstanceId);
  // An auto-assigned address lives only while the instance runs; an Elastic IP stays through a stop.
  const publicIp = elastic
    ? elastic.PublicIp
    : instance.State === "running" || instance.State === "pending"
      ? instance.PublicIpAddress
      : undefined;
  const privateDns = privateDnsName(instance.region, instance.PrivateIpAddress);
  return {
    InstanceId: instance.InstanceId,
    ImageId: instance.ImageId,
    InstanceType: instance.InstanceType,
    AmiLaunchIndex: instance.AmiLaunchIndex,
    KeyName: instance.KeyName,
    LaunchTime: new Date(instance.LaunchTime),
    Monitoring: { State: instance.MonitoringEnabled ? "enabled" : "disabled" },
    Placement: { AvailabilityZone: instance.AvailabilityZone, GroupName: "", Tenancy: "default" },
    State: stateOut(instance.State),
    StateTransitionReason: instance.StateTransitionReason,
    StateReason: instance.StateReason,
    PrivateDnsName: networked ? privateDns : "",
    PrivateIpAddress: networked ? instance.PrivateIpAddress : undefined,
    PublicDnsName: publicIp ? publicDnsName(instance.region, publicIp) : "",
    PublicIpAddress: publicIp,
    SubnetId: networked ? instance.SubnetId : undefined,
    VpcId: networked ? instance.VpcId : undefined,
    SecurityGroups: networked ? groups : [],
    ProductCodes: [],
    Architecture: typeSpec?.arch ?? "x86_64",
    ClientToken: instance.ClientToken ?? "",
    EbsOptimized: false,
    EnaSupport: true,
    Hypervisor: "xen",
    RootDeviceName: "/dev/xvda",
    RootDeviceType: "ebs",
    VirtualizationType: "hvm",
    SourceDestCheck: true,
    PlatformDetails: "Linux/UNIX",
    UsageOperation: "RunInstances",
    BootMode: "uefi-preferred",
    CpuOptions: typeSpec
      ? { CoreCount: Math.max(1, typeSpec.vcpus / (typeSpec.arch === "arm64" ? 1 : 2)), ThreadsPerCore: typeSpec.arch === "arm64" ? 1 : 2 }
      : undefined,
    BlockDeviceMappings: networked
      ? [
          {
            DeviceName: "/dev/xvda",
            Ebs: {
              AttachTime: new Date(instance.LaunchTime),
              DeleteOnTermination: true,
              Status: "attached",
              VolumeId: derivedId("vol", instance, "root"),
            },
          },
        ]
      : [],
    NetworkInterfaces: networked
      ? [
          {
            NetworkInterfaceId: derivedId("eni", instance, "eth0"),
            Attachment: {
              AttachmentId: derivedId("eni-attach", instance, "eth0"),
              AttachTime: new Date(instance.LaunchTime),
              DeleteOnTermination: true,
              DeviceIndex: 0,
              NetworkCardIndex: 0,
              Status: "attached",
            },
            Association: publicIp
              ? { IpOwnerId: elastic ? ownerId : "amazon", PublicDnsName: publicDnsName(instance.region, publicIp), PublicIp: publicIp }
              : undefined,
            Description: "",
            Groups: groups,
            MacAddress: macAddress(instance),
            OwnerId: ownerId,
            PrivateDnsName: privateDns,
            PrivateIpAddress: instance.PrivateIpAddress,
            PrivateIpAddresses: [{ Primary: true, PrivateDnsName: privateDns, PrivateIpAddress: instance.PrivateIpAddress }],
            SourceDestCheck: true,
            Status: "in-use",
            SubnetId: instance.SubnetId,
            VpcId: instance.VpcId,
            InterfaceType: "interface",
          },
        ]
      : [],
    MetadataOptions: {
      State: "applied",
      HttpTokens: "required",
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: "enabled",
      InstanceMetadataTags: "disabled",
    },
    CapacityReservationSpecification: { CapacityReservationPreference: "open" },
    HibernationOptions: { Configured: false },
    EnclaveOptions: { Enabled: false },
    MaintenanceOptions: { AutoRecovery: "default" },
    PrivateDnsNameOptions: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: tagsOut(instance.Tags),
  };
}

export function instanceFilterFields(state: Ec2State): FilterFields<InstanceRecord> {
  const networked = (i: InstanceRecord, value: unknown) => (attachedToNetwork(i) ? value : undefined);
  return {
    "instance-id": (i) => i.InstanceId,
    "instance-state-name": (i) => i.State,
    "instance-state-code": (i) => STATE_CODES[i.State],
    "instance-type": (i) => i.InstanceType,
    "image-id": (i) => i.ImageId,
    "reservation-id": (i) => i.ReservationId,
    "availability-zone": (i) => i.AvailabilityZone,
    "vpc-id": (i) => networked(i, i.VpcId),
    "subnet-id": (i) => networked(i, i.SubnetId),
    "private-ip-address": (i) => networked(i, i.PrivateIpAddress),
    "ip-address": (i) => (i.State === "running" || i.State === "pending" ? i.PublicIpAddress : undefined),
    "private-dns-name": (i) => networked(i, privateDnsName(i.region, i.PrivateIpAddress)),
    "key-name": (i) => i.KeyName,
    "launch-time": (i) => new Date(i.LaunchTime).toISOString(),
    "instance.group-id": (i) => networked(i, i.SecurityGroupIds),
    "instance.group-name": (i) =>
      networked(
        i,
        i.SecurityGroupIds.map((id) => state.securityGroups[id]?.GroupName),
      ),
    "network-interface.subnet-id": (i) => networked(i, i.SubnetId),
    "network-interface.vpc-id": (i) => networked(i, i.VpcId),
    "client-token": (i) => i.ClientToken,
    architecture: (i) => findInstanceType(i.InstanceType)?.arch ?? "x86_64",
    "monitoring-state": (i) => (i.MonitoringEnabled ? "enabled" : "disabled"),
  };
}
