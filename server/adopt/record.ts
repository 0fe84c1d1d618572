/**
 * What an adopted environment points at, as stored on its row (`Environment.adopted`). The
 * provisioning layer's names resolver (provisioning/context.ts) reads these names instead of
 * deriving `sy-<name>-...`, so rollouts, rollbacks, health and drift act on the adopted
 * resources. The load balancer's first target group is slot "blue", the second "green".
 */
import type { Slot } from "../provisioning/context.ts";

export interface AdoptedResources {
  loadBalancer: { arn: string; name: string };
  listenerArn: string;
  targetGroups: Record<Slot, { arn: string; name: string }>;
  /** Auto Scaling group names. */
  groups: Record<Slot, string>;
  /** Each group's launch template (new versions of it are the releases). */
  launchTemplates: Record<Slot, { id: string; name: string }>;
  adoptedAt: string;
  adoptedBy: string;
}

/** The adoption record of an environment row's `adopted` column, or null (Switchyard built it). */
export function adoptedOf(value: unknown): AdoptedResources | null {
  if (!value || typeof value !== "object") return null;
  const a = value as Partial<AdoptedResources>;
  if (!a.loadBalancer?.name || !a.listenerArn || !a.targetGroups?.blue || !a.targetGroups?.green || !a.groups || !a.launchTemplates)
    return null;
  return a as AdoptedResources;
}

/** Every AWS name the adoption points at (ownership tags are not required of these). */
export function adoptedNames(a: AdoptedResources): string[] {
  return [
    a.loadBalancer.name,
    a.targetGroups.blue.name,
    a.targetGroups.green.name,
    a.groups.blue,
    a.groups.green,
    a.launchTemplates.blue.name,
    a.launchTemplates.green.name,
  ];
}
