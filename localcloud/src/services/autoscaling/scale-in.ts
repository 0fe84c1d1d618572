/**
 * Which instances a scale-in removes. AWS's default policy: first balance zones (take from the
 * zone with the most instances), then prefer instances from the oldest launch template, then
 * those closest to the next billing hour; protected instances are never chosen.
 */
import type { CloudApi } from "../../core/types.ts";
import { findLaunchTemplate, resolveVersion } from "../ec2/launch-template-store.ts";
import type { GroupRecord, MemberRecord } from "./state.ts";

const HOUR_MS = 3_600_000;

type Score = (member: MemberRecord) => number;

function currentTemplateVersion(cloud: CloudApi, group: GroupRecord): number | undefined {
  try {
    return resolveVersion(findLaunchTemplate(cloud, group.region, group.LaunchTemplate), group.LaunchTemplate.Version).VersionNumber;
  } catch {
    return undefined;
  }
}

/** Lower score = terminated first, per named policy. */
function policyScores(cloud: CloudApi, group: GroupRecord, now: number): Record<string, Score> {
  const version = currentTemplateVersion(cloud, group);
  return {
    // Another template, then older versions of this one, before the current version.
    OldestLaunchTemplate: (m) =>
      m.LaunchTemplate.LaunchTemplateId !== group.LaunchTemplate.LaunchTemplateId
        ? -1
        : Number(m.LaunchTemplate.Version) === version
          ? 1e9
          : Number(m.LaunchTemplate.Version),
    OldestLaunchConfiguration: () => 0,
    ClosestToNextInstanceHour: (m) => HOUR_MS - ((now - m.launchedAt) % HOUR_MS),
    OldestInstance: (m) => m.launchedAt,
    NewestInstance: (m) => -m.launchedAt,
    AllocationStrategy: () => 0,
  };
}

function narrow(candidates: MemberRecord[], score: Score): MemberRecord[] {
  const best = Math.min(...candidates.map(score));
  return candidates.filter((m) => score(m) === best);
}

export function chooseForScaleIn(cloud: CloudApi, group: GroupRecord, active: MemberRecord[], count: number): MemberRecord[] {
  const now = cloud.now();
  const scores = policyScores(cloud, group, now);
  const policies = group.TerminationPolicies.flatMap((p) =>
    p === "Default" ? ["OldestLaunchTemplate", "ClosestToNextInstanceHour"] : [p],
  );
  const chosen: MemberRecord[] = [];
  while (chosen.length < count) {
    const remaining = active.filter((m) => !chosen.includes(m));
    let candidates = remaining.filter((m) => !m.ProtectedFromScaleIn);
    if (candidates.length === 0) break;
    const perZone = new Map<string, number>();
    for (const m of remaining) perZone.set(m.AvailabilityZone, (perZone.get(m.AvailabilityZone) ?? 0) + 1);
    const fullest = Math.max(...candidates.map((m) => perZone.get(m.AvailabilityZone)!));
    candidates = candidates.filter((m) => perZone.get(m.AvailabilityZone) === fullest);
    // Among equally full zones take the alphabetically last, so launches (first zone) and terminations mirror each other.
    const zone = candidates
      .map((m) => m.AvailabilityZone)
      .sort()
      .at(-1);
    candidates = candidates.filter((m) => m.AvailabilityZone === zone);
    for (const policy of policies) if (scores[policy]) candidates = narrow(candidates, scores[policy]);
    chosen.push(candidates.sort((a, b) => a.InstanceId.localeCompare(b.InstanceId))[0]);
  }
  return chosen;
}
