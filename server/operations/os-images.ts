/**
 * osImages: the machine image each fleet runs (from the launch template version its in-service
 * instances launched from, else the group's), its age (DescribeImages CreationDate), and the
 * newest Amazon Linux 2023 image for the fleets' architecture (AWS's public SSM parameter), so
 * the environment page can say "a newer Amazon Linux 2023 image exists" and offer Patch OS.
 */
import { requireRole, type Actor } from "../auth/actor.ts";
import { awsClients, type AwsClients } from "../aws/clients.ts";
import {
  DescribeAutoScalingGroupsCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplateVersionsCommand,
  GetParameterCommand,
} from "../aws/sdk.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { namesOf, SLOTS, type Slot } from "../provisioning/context.ts";
import { al2023Parameter, architectureOf } from "../provisioning/launch-template.ts";
import { requireEnvironment } from "../environments/load.ts";

export interface ImageView {
  imageId: string;
  name: string | null;
  createdAt: string | null;
  ageDays: number | null;
}
export interface FleetImage extends ImageView {
  slot: Slot;
  launchTemplateVersion: number | null;
  instanceType: string | null;
  inService: number;
}
export interface OsImages {
  fleets: FleetImage[];
  /** The newest Amazon Linux 2023 image for the live fleet's architecture, or null when AWS names none. */
  latest: ImageView | null;
  /** The live fleet runs Amazon Linux 2023 and an image newer than its own exists. */
  newerAvailable: boolean;
  liveSlot: Slot;
}

const ageOf = (created: string | null, now: number) => (created ? Math.max(0, Math.floor((now - Date.parse(created)) / 86_400_000)) : null);

async function fleetImage(aws: AwsClients, slot: Slot, groupName: string) {
  const group = (await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] })))
    .AutoScalingGroups?.[0];
  const lt = group?.LaunchTemplate;
  if (!group || !lt?.LaunchTemplateId) return null;
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === "InService");
  // What the running instances launched from; a group with none says what it would launch.
  const counts = new Map<string, number>();
  for (const i of inService)
    if (i.LaunchTemplate?.Version) counts.set(i.LaunchTemplate.Version, (counts.get(i.LaunchTemplate.Version) ?? 0) + 1);
  const version = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? lt.Version ?? "$Default";
  const data = (
    await aws.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, Versions: [version] }))
  ).LaunchTemplateVersions?.[0];
  return {
    slot,
    imageId: data?.LaunchTemplateData?.ImageId ?? "",
    launchTemplateVersion: data?.VersionNumber ?? null,
    instanceType: data?.LaunchTemplateData?.InstanceType ?? null,
    inService: inService.length,
  };
}

/** Reads the images of an environment (by its row) from AWS. */
export async function readOsImages(env: {
  name: string;
  accountId: string;
  region: string;
  liveSlot: string;
  namePrefix: string | null;
  adopted: unknown;
  spec: EnvironmentSpec;
}): Promise<OsImages> {
  const aws = awsClients(await accountOf(env.accountId), env.region);
  const names = namesOf(env);
  const liveSlot = env.liveSlot as Slot;
  const fleets = (await Promise.all(SLOTS.map((s) => fleetImage(aws, s, names.asg(s))))).filter((f) => f?.imageId);
  const live = fleets.find((f) => f?.slot === liveSlot) ?? fleets[0];
  const arch = architectureOf(live?.instanceType ?? env.spec.instanceType);
  const latestId = await aws.ssm
    .send(new GetParameterCommand({ Name: al2023Parameter(arch) }))
    .then((r) => r.Parameter?.Value ?? null)
    .catch(() => null);
  const ids = [...new Set([...fleets.map((f) => f!.imageId), ...(latestId ? [latestId] : [])])];
  const images = ids.length ? ((await aws.ec2.send(new DescribeImagesCommand({ ImageIds: ids }))).Images ?? []) : [];
  const now = Date.now();
  const view = (imageId: string): ImageView => {
    const img = images.find((i) => i.ImageId === imageId);
    return { imageId, name: img?.Name ?? null, createdAt: img?.CreationDate ?? null, ageDays: ageOf(img?.CreationDate ?? null, now) };
  };
  const latest = latestId ? view(latestId) : null;
  const liveView = live ? view(live.imageId) : null;
  const isAl2023 = !!liveView?.name?.startsWith("al2023-ami-");
  const newerAvailable =
    !!latest &&
    !!liveView &&
    isAl2023 &&
    latest.imageId !== liveView.imageId &&
    Date.parse(latest.createdAt ?? "") > Date.parse(liveView.createdAt ?? "");
  return {
    fleets: fleets.map((f) => ({ ...f!, ...view(f!.imageId) })),
    latest,
    newerAvailable,
    liveSlot,
  };
}

/** The environment row and its current spec, by name. */
export async function environmentWithSpec(name: string) {
  const { env, spec } = await requireEnvironment(name);
  return { env, spec };
}

export async function osImages({ actor, input }: { actor: Actor; input: { name: string } }): Promise<OsImages> {
  requireRole(actor, "viewer");
  const { env, spec } = await environmentWithSpec(input.name);
  if (!env.stack) throw new ServiceError("PRECONDITION_FAILED", `${input.name} is not provisioned: it runs no image yet.`);
  return readOsImages({ ...env, spec });
}
