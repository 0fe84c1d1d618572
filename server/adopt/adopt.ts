import { z } from "zod";
import { requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { DescribeLaunchTemplateVersionsCommand, DescribePoliciesCommand } from "../aws/sdk.ts";
import { db, Prisma } from "../db/client.ts";
import { defaultSpec, environmentName, specSchema, type EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError, validationError } from "../errors.ts";
import { readStack } from "../provisioning/read-stack.ts";
import type { Slot } from "../provisioning/context.ts";
import { clientsFor, discoverInput } from "./discover.ts";
import { listListeners, listLoadBalancers, listTargetGroups, type ListedTargetGroup } from "./inspect.ts";
import { appVersionIn } from "./launch-template.ts";
import type { AdoptedResources } from "./record.ts";

/**
 * adoptStack: records an existing ALB listener, its two target groups and their Auto Scaling
 * groups as an environment, creating nothing in AWS. Checked first, and nothing is recorded
 * unless every check passes: the listener belongs to the load balancer and forwards to
 * exactly the two chosen target groups; each target group has exactly one Auto Scaling group;
 * each group launches from a launch template (releases are new versions of it). The target
 * group with the larger weight is the live slot, "blue"; the version it runs is read from its
 * launch template (the `switchyard:version` tag or the user data's APP_VERSION=), else given.
 */
export const adoptInput = discoverInput.omit({ tag: true }).extend({
  name: environmentName,
  loadBalancerArn: z.string({ message: "Choose a load balancer" }).trim().min(1, "Choose a load balancer"),
  listenerArn: z.string({ message: "Choose a listener" }).trim().min(1, "Choose a listener"),
  targetGroupArns: z.array(z.string().trim().min(1)).length(2, "Choose exactly two target groups (the blue and the green fleet)"),
  version: specSchema.shape.app.shape.version.optional().or(z.literal("")),
  rollout: specSchema.shape.rollout.optional(),
  rollbackWindowMinutes: specSchema.shape.rollbackWindowMinutes.optional(),
});

const fail = (field: string, message: string): never => {
  throw new ServiceError("VALIDATION_FAILED", `${field}: ${message}`, { [field]: [message] });
};
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

export async function adoptStack({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = adoptInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const q = parsed.data;
  if (await db.environment.findUnique({ where: { activeName: q.name } })) fail("name", "An environment with this name already exists");
  const { aws, accountId } = await clientsFor(q.account, q.region);

  const lb = (await listLoadBalancers(aws)).find((l) => l.arn === q.loadBalancerArn);
  if (!lb) return fail("loadBalancerArn", `No application load balancer ${q.loadBalancerArn} in ${q.region}`);
  const listener = (await listListeners(aws, lb.arn)).find((l) => l.arn === q.listenerArn);
  if (!listener) return fail("listenerArn", `Load balancer ${lb.name} has no listener ${q.listenerArn}`);
  const forwarded = listener.forwardsTo.map((f) => f.arn);
  if (forwarded.length !== 2 || !q.targetGroupArns.every((a) => forwarded.includes(a)) || q.targetGroupArns[0] === q.targetGroupArns[1])
    fail(
      "targetGroupArns",
      `The listener on port ${listener.port} forwards to ${forwarded.length ? forwarded.map((a) => a.split("/")[1] ?? a).join(", ") : "no target group"}; ` +
        "it must forward (weighted) to exactly the two chosen target groups, one per fleet. Change the listener's default action, or choose its target groups.",
    );
  const tgs = await listTargetGroups(aws, listener.forwardsTo);
  for (const tg of tgs) {
    if (tg.groups.length === 0)
      fail("targetGroupArns", `Target group ${tg.name} has no Auto Scaling group: attach the fleet's group to it, then adopt again.`);
    if (tg.groups.length > 1)
      fail(
        "targetGroupArns",
        `Target group ${tg.name} has ${tg.groups.length} Auto Scaling groups (${tg.groups.map((g) => g.name).join(", ")}); Switchyard needs one group per target group.`,
      );
    const g = tg.groups[0];
    if (!g.launchTemplate)
      fail(
        "targetGroupArns",
        `Auto Scaling group ${g.name} launches from a ${g.launchesFrom.replace(/-/g, " ")}, not a launch template: Switchyard releases new launch template versions. Move the group to a launch template first.`,
      );
  }
  // The heavier target group serves: it is blue, the live slot.
  const [live, idle] = [...tgs].sort((a, b) => b.weight - a.weight) as [ListedTargetGroup, ListedTargetGroup];
  const bySlot: Record<Slot, ListedTargetGroup> = { blue: live, green: idle };
  const adopted: AdoptedResources = {
    loadBalancer: { arn: lb.arn, name: lb.name },
    listenerArn: listener.arn,
    targetGroups: { blue: { arn: live.arn, name: live.name }, green: { arn: idle.arn, name: idle.name } },
    groups: { blue: live.groups[0].name, green: idle.groups[0].name },
    launchTemplates: {
      blue: { id: live.groups[0].launchTemplate!.id, name: live.groups[0].launchTemplate!.name },
      green: { id: idle.groups[0].launchTemplate!.id, name: idle.groups[0].launchTemplate!.name },
    },
    adoptedAt: new Date().toISOString(),
    adoptedBy: actor.label,
  };

  const liveGroup = bySlot.blue.groups[0];
  const template = (
    await aws.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: liveGroup.launchTemplate!.id,
        Versions: [liveGroup.launchTemplate!.version],
      }),
    )
  ).LaunchTemplateVersions?.[0]?.LaunchTemplateData;
  const userData = Buffer.from(template?.UserData ?? "", "base64").toString("utf8");
  const tagged = template?.TagSpecifications?.find((t) => t.ResourceType === "instance")?.Tags?.find(
    (t) => t.Key === "switchyard:version",
  )?.Value;
  const version = q.version || tagged || appVersionIn(userData);
  if (!version)
    return fail(
      "version",
      `Which version does ${liveGroup.name} run? Its launch template names none (no APP_VERSION= in its user data): enter it.`,
    );
  const policy = (
    await aws.autoscaling.send(
      new DescribePoliciesCommand({ AutoScalingGroupName: liveGroup.name, PolicyTypes: ["TargetTrackingScaling"] }),
    )
  ).ScalingPolicies?.[0]?.TargetTrackingConfiguration;
  const metric = policy?.PredefinedMetricSpecification?.PredefinedMetricType;

  const base = defaultSpec(q.account, q.region);
  const hc = live.healthCheck;
  const candidate: EnvironmentSpec = {
    ...base,
    name: q.name,
    availabilityZones: lb.zones.length >= 2 ? lb.zones : base.availabilityZones,
    app: {
      ...base.app,
      version,
      // Releases keep the image the group runs; Patch OS (or a new AMI id here) changes it.
      source: template?.ImageId ? { kind: "ami", amiId: template.ImageId } : base.app.source,
      instanceProfileArn: null,
    },
    instanceType: template?.InstanceType ?? base.instanceType,
    capacity: { min: liveGroup.min, desired: liveGroup.desired, max: Math.max(1, liveGroup.max) },
    scaling:
      metric === "ALBRequestCountPerTarget"
        ? { metric: "requests_per_target", target: policy?.TargetValue ?? 1000 }
        : { metric: "cpu", target: clamp(policy?.TargetValue ?? 50, 1, 100) },
    healthCheck: {
      path: hc.path,
      intervalSeconds: clamp(hc.intervalSeconds, 5, 300),
      timeoutSeconds: clamp(Math.min(hc.timeoutSeconds, hc.intervalSeconds - 1), 2, 120),
      healthyThreshold: clamp(hc.healthyThreshold, 2, 10),
      unhealthyThreshold: clamp(hc.unhealthyThreshold, 2, 10),
      gracePeriodSeconds: clamp(liveGroup.healthCheckGracePeriod ?? 60, 0, 7200),
    },
    database: null,
    cloudfront: false,
    network: { egress: "public" },
    rollout: q.rollout ?? base.rollout,
    rollbackWindowMinutes: q.rollbackWindowMinutes ?? base.rollbackWindowMinutes,
  };
  const spec = specSchema.safeParse(candidate);
  if (!spec.success)
    throw new ServiceError(
      "VALIDATION_FAILED",
      `The stack's settings do not fit an environment spec: ${validationError(spec.error.issues).message}`,
      { _form: spec.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
    );

  let env: { id: string; name: string };
  try {
    env = await db.environment.create({
      data: {
        name: q.name,
        activeName: q.name,
        accountId,
        region: q.region,
        status: "ready",
        liveSlot: "blue",
        liveVersion: version,
        namePrefix: null,
        adopted: adopted as unknown as Prisma.InputJsonValue,
        currentVersion: 1,
        specVersions: { create: { version: 1, spec: spec.data as object, createdBy: actor.label, note: "Adopted" } },
      },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      fail("name", "An environment with this name already exists");
    throw e;
  }
  try {
    // Read back through the same layer rollouts use (it resolves the adopted names from the row).
    const stack = await readStack({ accountId, envId: env.id, spec: spec.data });
    return await db.$transaction(async (tx) => {
      const row = await tx.environment.update({ where: { id: env.id }, data: { stack: JSON.parse(JSON.stringify(stack)) } });
      await recordAudit(
        tx,
        actor,
        "environment.adopt",
        { type: "environment", id: env.id, label: env.name },
        { after: { adopted, spec: spec.data } },
      );
      return { environment: row, spec: spec.data, adopted };
    });
  } catch (e) {
    // Nothing is kept of an adoption that could not read its stack back.
    await db.environment.delete({ where: { id: env.id } }).catch(() => null);
    throw e;
  }
}
