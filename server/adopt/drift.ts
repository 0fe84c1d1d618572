/**
 * Drift of an adopted stack: it has no spec Switchyard built it from, so what is checked is
 * that the stack is still what was adopted and what the record says runs: the load balancer
 * and the listener exist and forward to exactly the two adopted target groups, each target group
 * still has its Auto Scaling group (and only it), each group still launches from its adopted
 * launch template, the live fleet's capacity and health check are the spec's, and the live
 * fleet runs the recorded version on one launch template version.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import type { DriftRow, DriftValue } from "../provisioning/drift.ts";
import { liveSlotOf } from "../provisioning/drift.ts";
import { SLOTS } from "../provisioning/context.ts";
import type { Stack } from "../provisioning/read-stack.ts";
import { listListeners, listTargetGroups } from "./inspect.ts";
import type { AdoptedResources } from "./record.ts";

export async function adoptedDrift(
  aws: AwsClients,
  adopted: AdoptedResources,
  spec: EnvironmentSpec,
  stack: Stack,
  recorded: { liveVersion: string | null },
): Promise<DriftRow[]> {
  const rows: DriftRow[] = [];
  const cmp = (path: string, expected: DriftValue, actual: DriftValue) => {
    if (expected !== actual) rows.push({ path, expected, actual });
  };
  if (!stack.loadBalancer) {
    rows.push({ path: "loadBalancer", expected: adopted.loadBalancer.name, actual: "missing" });
    return rows;
  }
  const listener = (await listListeners(aws, adopted.loadBalancer.arn)).find((l) => l.arn === adopted.listenerArn);
  if (!listener) {
    rows.push({ path: "loadBalancer.listener", expected: adopted.listenerArn, actual: "missing" });
    return rows;
  }
  const wanted = [adopted.targetGroups.blue.arn, adopted.targetGroups.green.arn].sort().join(", ");
  cmp(
    "listener.forwardsTo",
    wanted,
    listener.forwardsTo
      .map((f) => f.arn)
      .sort()
      .join(", ") || "nothing",
  );
  const tgs = await listTargetGroups(
    aws,
    SLOTS.map((s) => ({ arn: adopted.targetGroups[s].arn, weight: 0 })),
  ).catch(() => []);
  for (const slot of SLOTS) {
    const tg = tgs.find((t) => t.arn === adopted.targetGroups[slot].arn);
    if (!tg) {
      rows.push({ path: `targetGroups.${slot}`, expected: adopted.targetGroups[slot].name, actual: "missing" });
      continue;
    }
    cmp(`targetGroups.${slot}.autoScalingGroups`, adopted.groups[slot], tg.groups.map((g) => g.name).join(", ") || "none");
    const group = tg.groups.find((g) => g.name === adopted.groups[slot]);
    if (group) cmp(`fleets.${slot}.launchTemplate`, adopted.launchTemplates[slot].name, group.launchTemplate?.name ?? group.launchesFrom);
  }
  const live = liveSlotOf(stack);
  const fleet = stack.fleets[live];
  const tg = stack.targetGroups[live];
  if (fleet) {
    cmp(`fleets.${live}.min`, spec.capacity.min, fleet.min);
    cmp(`fleets.${live}.max`, spec.capacity.max, fleet.max);
    if (fleet.inService > 0) cmp(`fleets.${live}.servingVersion`, recorded.liveVersion, fleet.servingVersion);
  }
  if (tg) cmp(`targetGroups.${live}.healthCheck.path`, spec.healthCheck.path, tg.healthCheck.path);
  return rows;
}
