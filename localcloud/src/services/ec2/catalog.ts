/**
 * What AWS offers rather than what the caller creates: one Amazon Linux 2023 AMI per region
 * and a table of common instance types. Both are computed, not stored.
 */
import { createHash } from "node:crypto";
import { publishedReleases } from "./image-releases.ts";

const AL2023_VERSION = "2023.6.20241212.0";
export const AMAZON_OWNER_ID = "137112412989";

function stableHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export interface ImageInfo {
  ImageId: string;
  Name: string;
  Description: string;
  Architecture: "x86_64" | "arm64";
  CreationDate: string;
  DeprecationTime: string;
  ImageLocation: string;
  ImageType: "machine";
  Public: boolean;
  OwnerId: string;
  ImageOwnerAlias: string;
  PlatformDetails: string;
  UsageOperation: string;
  State: "available";
  RootDeviceName: string;
  RootDeviceType: "ebs";
  VirtualizationType: "hvm";
  Hypervisor: "xen";
  EnaSupport: boolean;
  SriovNetSupport: string;
  BootMode: string;
  ImdsSupport: string;
  BlockDeviceMappings: Array<{ DeviceName: string; Ebs: Record<string, unknown> }>;
}

/**
 * The region's Amazon Linux 2023 images: the built-in release and any published since
 * (image-releases.ts); ids are stable per region and release across restarts.
 */
export function regionImages(region: string): ImageInfo[] {
  return [{ release: AL2023_VERSION, creationDate: "2024-12-12T20:17:53.000Z" }, ...publishedReleases()].map((r) =>
    al2023Image(region, r.release, r.creationDate),
  );
}

function al2023Image(region: string, release: string, creationDate: string): ImageInfo {
  const name = `al2023-ami-${release}-kernel-6.1-x86_64`;
  return {
    ImageId: `ami-${stableHex(`${region}/${name}`, 17)}`,
    Name: name,
    Description: `Amazon Linux 2023 AMI ${release} x86_64 HVM kernel-6.1`,
    Architecture: "x86_64",
    CreationDate: creationDate,
    // AWS deprecates an AL2023 image about two years after it ships.
    DeprecationTime: new Date(Date.parse(creationDate) + 820 * 86_400_000).toISOString(),
    ImageLocation: `amazon/${name}`,
    ImageType: "machine",
    Public: true,
    OwnerId: AMAZON_OWNER_ID,
    ImageOwnerAlias: "amazon",
    PlatformDetails: "Linux/UNIX",
    UsageOperation: "RunInstances",
    State: "available",
    RootDeviceName: "/dev/xvda",
    RootDeviceType: "ebs",
    VirtualizationType: "hvm",
    Hypervisor: "xen",
    EnaSupport: true,
    SriovNetSupport: "simple",
    BootMode: "uefi-preferred",
    ImdsSupport: "v2.0",
    BlockDeviceMappings: [
      {
        DeviceName: "/dev/xvda",
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: `snap-${stableHex(`${region}/${name}/root`, 17)}`,
          VolumeSize: 8,
          VolumeType: "gp3",
          Iops: 3000,
          Throughput: 125,
          Encrypted: false,
        },
      },
    ],
  };
}

export function findImage(region: string, imageId: string): ImageInfo | undefined {
  return regionImages(region).find((image) => image.ImageId === imageId);
}

export interface InstanceTypeSpec {
  type: string;
  vcpus: number;
  memoryMiB: number;
  arch: "x86_64" | "arm64";
  clockGhz: number;
  network: string;
  burstable: boolean;
  maxEnis: number;
  ipsPerEni: number;
}

/** [family, arch, GHz, network ("Up to N Gigabit"), burstable, sizes as [size, vCPU, GiB]]. */
const FAMILIES: Array<[string, "x86_64" | "arm64", number, number, boolean, Array<[string, number, number]>]> = [
  [
    "t3",
    "x86_64",
    3.1,
    5,
    true,
    [
      ["micro", 2, 1],
      ["small", 2, 2],
      ["medium", 2, 4],
      ["large", 2, 8],
      ["xlarge", 4, 16],
      ["2xlarge", 8, 32],
    ],
  ],
  [
    "t3a",
    "x86_64",
    2.5,
    5,
    true,
    [
      ["micro", 2, 1],
      ["small", 2, 2],
      ["medium", 2, 4],
      ["large", 2, 8],
      ["xlarge", 4, 16],
      ["2xlarge", 8, 32],
    ],
  ],
  [
    "m5",
    "x86_64",
    3.1,
    10,
    false,
    [
      ["large", 2, 8],
      ["xlarge", 4, 16],
      ["2xlarge", 8, 32],
      ["4xlarge", 16, 64],
    ],
  ],
  [
    "m6i",
    "x86_64",
    3.5,
    12.5,
    false,
    [
      ["large", 2, 8],
      ["xlarge", 4, 16],
      ["2xlarge", 8, 32],
      ["4xlarge", 16, 64],
    ],
  ],
  [
    "m7g",
    "arm64",
    2.6,
    12.5,
    false,
    [
      ["medium", 1, 4],
      ["large", 2, 8],
      ["xlarge", 4, 16],
      ["2xlarge", 8, 32],
      ["4xlarge", 16, 64],
    ],
  ],
  [
    "c5",
    "x86_64",
    3.4,
    10,
    false,
    [
      ["large", 2, 4],
      ["xlarge", 4, 8],
      ["2xlarge", 8, 16],
      ["4xlarge", 16, 32],
    ],
  ],
  [
    "c6i",
    "x86_64",
    3.5,
    12.5,
    false,
    [
      ["large", 2, 4],
      ["xlarge", 4, 8],
      ["2xlarge", 8, 16],
      ["4xlarge", 16, 32],
    ],
  ],
  [
    "r5",
    "x86_64",
    3.1,
    10,
    false,
    [
      ["large", 2, 16],
      ["xlarge", 4, 32],
      ["2xlarge", 8, 64],
      ["4xlarge", 16, 128],
    ],
  ],
  [
    "r6i",
    "x86_64",
    3.5,
    12.5,
    false,
    [
      ["large", 2, 16],
      ["xlarge", 4, 32],
      ["2xlarge", 8, 64],
      ["4xlarge", 16, 128],
    ],
  ],
];

/** ENIs and IPv4 addresses per ENI by size, close to AWS's published limits. */
const SIZE_NETWORK: Record<string, [number, number]> = {
  micro: [2, 2],
  small: [3, 4],
  medium: [3, 6],
  large: [3, 12],
  xlarge: [4, 15],
  "2xlarge": [4, 15],
  "4xlarge": [8, 30],
};

export const INSTANCE_TYPES: InstanceTypeSpec[] = FAMILIES.flatMap(([family, arch, clockGhz, gbit, burstable, sizes]) =>
  sizes.map(([size, vcpus, gib]) => ({
    type: `${family}.${size}`,
    vcpus,
    memoryMiB: gib * 1024,
    arch,
    clockGhz,
    network: `Up to ${gbit} Gigabit`,
    burstable,
    maxEnis: SIZE_NETWORK[size][0],
    ipsPerEni: SIZE_NETWORK[size][1],
  })),
);

export function findInstanceType(type: string): InstanceTypeSpec | undefined {
  return INSTANCE_TYPES.find((spec) => spec.type === type);
}

/** The InstanceTypeInfo shape of DescribeInstanceTypes. */
export function instanceTypeInfo(spec: InstanceTypeSpec) {
  return {
    InstanceType: spec.type,
    CurrentGeneration: true,
    FreeTierEligible: spec.type === "t3.micro",
    SupportedUsageClasses: ["on-demand", "spot"],
    SupportedRootDeviceTypes: ["ebs"],
    SupportedVirtualizationTypes: ["hvm"],
    BareMetal: false,
    Hypervisor: "nitro",
    ProcessorInfo: { SupportedArchitectures: [spec.arch], SustainedClockSpeedInGhz: spec.clockGhz },
    VCpuInfo: {
      DefaultVCpus: spec.vcpus,
      DefaultCores: spec.arch === "arm64" ? spec.vcpus : Math.max(1, spec.vcpus / 2),
      DefaultThreadsPerCore: spec.arch === "arm64" ? 1 : 2,
    },
    MemoryInfo: { SizeInMiB: spec.memoryMiB },
    InstanceStorageSupported: false,
    EbsInfo: { EbsOptimizedSupport: "default", EncryptionSupport: "supported", NvmeSupport: "required" },
    NetworkInfo: {
      NetworkPerformance: spec.network,
      MaximumNetworkInterfaces: spec.maxEnis,
      MaximumNetworkCards: 1,
      DefaultNetworkCardIndex: 0,
      Ipv4AddressesPerInterface: spec.ipsPerEni,
      Ipv6AddressesPerInterface: spec.ipsPerEni,
      Ipv6Supported: true,
      EnaSupport: "required",
      EfaSupported: false,
    },
    PlacementGroupInfo: { SupportedStrategies: ["cluster", "partition", "spread"] },
    HibernationSupported: spec.arch === "x86_64",
    BurstablePerformanceSupported: spec.burstable,
    DedicatedHostsSupported: !spec.burstable,
    AutoRecoverySupported: true,
    SupportedBootModes: spec.arch === "arm64" ? ["uefi"] : ["legacy-bios", "uefi"],
  };
}
