/**
 * What other services use of EC2 (Auto Scaling launches and terminates through these; ELBv2
 * and the data plane read instances). They work on the internal record, not the API shape.
 */
import type { CloudApi } from "../../core/types.ts";
import { launch } from "./instance-launch.ts";
import { beginTermination } from "./instance-lifecycle.ts";
import type { LaunchTemplateRef } from "./launch-template-store.ts";
import { ec2State, type InstanceRecord, type Tag } from "./state.ts";

export type Ec2Instance = InstanceRecord;

export interface LaunchInstancesSpec {
  launchTemplate: LaunchTemplateRef;
  subnetId: string;
  count: number;
  /** May include AWS-reserved keys such as aws:autoscaling:groupName. */
  tags?: Tag[];
}

/** Launches `count` instances from a launch template into a subnet; throws AwsError as RunInstances would. */
export function launchInstances(cloud: CloudApi, region: string, spec: LaunchInstancesSpec): Ec2Instance[] {
  const userTags = (spec.tags ?? []).filter((t) => !t.Key.toLowerCase().startsWith("aws:"));
  const systemTags = (spec.tags ?? []).filter((t) => t.Key.toLowerCase().startsWith("aws:"));
  return launch(cloud, {
    region,
    minCount: spec.count,
    maxCount: spec.count,
    SubnetId: spec.subnetId,
    LaunchTemplate: spec.launchTemplate,
    tags: userTags,
    systemTags,
  }).instances;
}

/** Starts terminating an instance; false when it does not exist in the region or is already going. */
export function terminateInstance(cloud: CloudApi, region: string, instanceId: string): boolean {
  const state = ec2State(cloud);
  const instance = state.instances[instanceId];
  if (!instance || instance.region !== region) return false;
  const started = beginTermination(state, instance, cloud.now());
  if (started) cloud.markDirty();
  return started;
}

/** The instance record in any region, or undefined once it has vanished (about an hour after termination). */
export function getInstance(cloud: CloudApi, instanceId: string): Ec2Instance | undefined {
  return ec2State(cloud).instances[instanceId];
}

/** The instance's user data decoded from base64 (where `# localcloud: ...` directives live). */
export function instanceUserData(instance: Ec2Instance): string {
  return instance.UserData ? Buffer.from(instance.UserData, "base64").toString("utf8") : "";
}

export { describeAvailabilityZones } from "./regions.ts";
