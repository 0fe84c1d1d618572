/**
 * AWS's public parameters for the latest Amazon Linux 2023 AMIs
 * (/aws/service/ami-amazon-linux-latest/al2023-ami-[minimal-]kernel-{default,6.1,...}-{x86_64,arm64}),
 * derived from the images EC2's DescribeImages knows in the region, so the ids they resolve to
 * can be launched. A variant whose image the EC2 catalog lacks is simply not published.
 */
import { regionImages, type ImageInfo } from "../ec2/catalog.ts";
import { parameterArn, type ParameterRecord } from "./state.ts";

export const PUBLIC_AMI_PATH = "/aws/service/ami-amazon-linux-latest";

/** al2023-ami-[minimal-]<release>-kernel-<x.y>-<arch>, the names AWS gives AL2023 images. */
const AL2023_NAME = /^al2023-ami-(minimal-)?(\d{4}\.[\d.]+)-kernel-(\d+\.\d+)-(x86_64|arm64)$/;

interface PublicParameter {
  name: string;
  image: ImageInfo;
}

function newer(a: { release: string; kernel: string }, b: { release: string; kernel: string }): boolean {
  const cmp = (x: string, y: string) => {
    const xs = x.split(".").map(Number);
    const ys = y.split(".").map(Number);
    for (let i = 0; i < Math.max(xs.length, ys.length); i++) if ((xs[i] ?? 0) !== (ys[i] ?? 0)) return (xs[i] ?? 0) - (ys[i] ?? 0);
    return 0;
  };
  return cmp(a.kernel, b.kernel) > 0 || (cmp(a.kernel, b.kernel) === 0 && cmp(a.release, b.release) > 0);
}

export function publicAmiParameters(region: string): PublicParameter[] {
  const best = new Map<string, { image: ImageInfo; release: string; kernel: string }>();
  const consider = (name: string, candidate: { image: ImageInfo; release: string; kernel: string }) => {
    const seen = best.get(name);
    if (!seen || newer(candidate, seen)) best.set(name, candidate);
  };
  for (const image of regionImages(region)) {
    const m = AL2023_NAME.exec(image.Name);
    if (!m) continue;
    const [, minimal = "", release, kernel, arch] = m;
    const candidate = { image, release, kernel };
    consider(`${PUBLIC_AMI_PATH}/al2023-ami-${minimal}kernel-${kernel}-${arch}`, candidate);
    // kernel-default follows the newest kernel AWS ships for AL2023.
    consider(`${PUBLIC_AMI_PATH}/al2023-ami-${minimal}kernel-default-${arch}`, candidate);
  }
  return [...best.entries()].map(([name, { image }]) => ({ name, image })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The public parameters as records (region-scoped, account-less ARNs, one version). */
export function publicParameterRecords(region: string): ParameterRecord[] {
  return publicAmiParameters(region).map(({ name, image }) => ({
    name,
    region,
    tags: [],
    versions: [
      {
        version: 1,
        value: image.ImageId,
        type: "String",
        dataType: "text",
        tier: "Standard",
        modifiedAt: Date.parse(image.CreationDate),
        modifiedBy: "",
      },
    ],
  }));
}

export function findPublicParameter(region: string, name: string): ParameterRecord | undefined {
  return name.startsWith("/aws/") ? publicParameterRecords(region).find((p) => p.name === name) : undefined;
}

export const isPublic = (p: ParameterRecord) => p.name.startsWith("/aws/");

/** Public parameters' ARNs carry no account id. */
export function arnOf(p: ParameterRecord, accountId: string): string {
  return parameterArn(p.region, isPublic(p) ? "" : accountId, p.name);
}
