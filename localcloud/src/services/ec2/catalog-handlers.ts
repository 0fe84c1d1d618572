/** DescribeImages and DescribeInstanceTypes over the computed catalog. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2Pages } from "./errors.ts";
import { AMAZON_OWNER_ID, INSTANCE_TYPES, instanceTypeInfo, regionImages } from "./catalog.ts";

export function describeImages(
  input: { ImageIds?: string[]; Owners?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let images = regionImages(ctx.region).map((image) => ({ ...image, Tags: [] }));
  const ids = input.ImageIds ?? [];
  for (const id of ids) {
    if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id))
      throw new AwsError("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`);
  }
  const missing = ids.filter((id) => !images.some((image) => image.ImageId === id));
  if (missing.length > 0) throw new AwsError("InvalidAMIID.NotFound", `The image id '[${missing.join(", ")}]' does not exist`);
  if (ids.length > 0) images = images.filter((image) => ids.includes(image.ImageId));
  if (input.Owners?.length) {
    // "self" and the caller's account own nothing here: only Amazon's public images exist.
    images = images.filter((_image) => input.Owners!.some((owner) => owner === "amazon" || owner === AMAZON_OWNER_ID));
  }
  images = applyFilters(images, input.Filters, {
    name: (i) => i.Name,
    "image-id": (i) => i.ImageId,
    "owner-alias": (i) => i.ImageOwnerAlias,
    "owner-id": (i) => i.OwnerId,
    architecture: (i) => i.Architecture,
    state: (i) => i.State,
    "image-type": (i) => i.ImageType,
    "is-public": (i) => String(i.Public),
    description: (i) => i.Description,
    "platform-details": (i) => i.PlatformDetails,
    "root-device-type": (i) => i.RootDeviceType,
    "root-device-name": (i) => i.RootDeviceName,
    "virtualization-type": (i) => i.VirtualizationType,
    hypervisor: (i) => i.Hypervisor,
    "ena-support": (i) => String(i.EnaSupport),
  });
  const { items: page, next: NextToken } = pageOf(images, input.NextToken, input.MaxResults, ec2Pages("DescribeImages"));
  return { Images: page.map(({ Tags: _tags, ...image }) => image), NextToken };
}

export function describeInstanceTypes(input: { InstanceTypes?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
  const wanted = input.InstanceTypes ?? [];
  const unknown = wanted.filter((type) => !INSTANCE_TYPES.some((spec) => spec.type === type));
  if (unknown.length > 0) {
    throw new AwsError("InvalidInstanceType", `The following supplied instance types do not exist: [${unknown.join(", ")}]`);
  }
  let specs = INSTANCE_TYPES.filter((spec) => wanted.length === 0 || wanted.includes(spec.type)).map((spec) => ({ ...spec, Tags: [] }));
  specs = applyFilters(specs, input.Filters, {
    "instance-type": (s) => s.type,
    "vcpu-info.default-vcpus": (s) => s.vcpus,
    "memory-info.size-in-mib": (s) => s.memoryMiB,
    "processor-info.supported-architecture": (s) => s.arch,
    "burstable-performance-supported": (s) => String(s.burstable),
    "current-generation": () => "true",
    "free-tier-eligible": (s) => String(s.type === "t3.micro"),
    "network-info.network-performance": (s) => s.network,
    hypervisor: () => "nitro",
    "bare-metal": () => "false",
  });
  const { items: page, next: NextToken } = pageOf(
    specs,
    input.NextToken,
    input.MaxResults,
    ec2Pages("DescribeInstanceTypes", { min: 5, max: 100 }),
  );
  return { InstanceTypes: page.map(instanceTypeInfo), NextToken };
}
