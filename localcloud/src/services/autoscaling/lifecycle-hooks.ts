/**
 * Lifecycle hooks: PutLifecycleHook / DescribeLifecycleHooks / DeleteLifecycleHook /
 * DescribeLifecycleHookTypes and CreateAutoScalingGroup's LifecycleHookSpecificationList, with
 * AWS's validation and defaults. Hooks are kept per group ARN (a group re-created under the same
 * name starts without them). Not modelled: instances do not wait in Pending:Wait /
 * Terminating:Wait, and no notification is sent.
 */
import { AwsError, type CloudApi, type RequestContext } from "../../core/types.ts";
import { asgState, findGroup, validationError, type GroupRecord, type LifecycleHookRecord } from "./state.ts";

export interface HookInput {
  LifecycleHookName?: string;
  LifecycleTransition?: string;
  RoleARN?: string;
  NotificationTargetARN?: string;
  NotificationMetadata?: string;
  HeartbeatTimeout?: number;
  DefaultResult?: string;
}

const TRANSITIONS = ["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"];
const HOOK_NAME = /^[A-Za-z0-9\-_/]{1,255}$/;
const MAX_HOOKS = 50;

/** State lives next to the other Auto Scaling records; older state files have no hooks yet. */
function hooksOf(cloud: CloudApi, group: GroupRecord): LifecycleHookRecord[] {
  const state = asgState(cloud);
  state.lifecycleHooks ??= {};
  state.lifecycleHooks[group.AutoScalingGroupARN] ??= [];
  return state.lifecycleHooks[group.AutoScalingGroupARN];
}

/** A hook with AWS's defaults (HeartbeatTimeout 3600 s, DefaultResult ABANDON, GlobalTimeout 100 x heartbeat, at most 48 h). */
function buildHook(groupName: string, input: HookInput, previous?: LifecycleHookRecord): LifecycleHookRecord {
  const name = input.LifecycleHookName ?? "";
  if (!HOOK_NAME.test(name)) throw validationError(`Invalid lifecycle hook name ${name}: 1-255 letters, digits, -, _ and /.`);
  const transition = input.LifecycleTransition ?? previous?.LifecycleTransition;
  if (!transition) throw validationError("LifecycleTransition is required when creating a lifecycle hook.");
  if (!TRANSITIONS.includes(transition))
    throw validationError(`Invalid Lifecycle Transition: ${transition}. Valid values: ${TRANSITIONS.join(", ")}.`);
  const heartbeat = input.HeartbeatTimeout ?? previous?.HeartbeatTimeout ?? 3600;
  if (!Number.isInteger(heartbeat) || heartbeat < 30 || heartbeat > 7200) {
    throw validationError(`Heartbeat timeout ${heartbeat} is invalid: it must be between 30 and 7200 seconds.`);
  }
  const result = input.DefaultResult ?? previous?.DefaultResult ?? "ABANDON";
  if (result !== "CONTINUE" && result !== "ABANDON") throw validationError(`Invalid default result ${result}: CONTINUE or ABANDON.`);
  if (input.RoleARN !== undefined && input.NotificationTargetARN === undefined && previous?.NotificationTargetARN === undefined) {
    throw validationError("A RoleARN is only valid together with a NotificationTargetARN.");
  }
  const metadata = input.NotificationMetadata ?? previous?.NotificationMetadata;
  if (metadata !== undefined && (metadata.length < 1 || metadata.length > 1023))
    throw validationError("NotificationMetadata must be between 1 and 1023 characters.");
  return {
    LifecycleHookName: name,
    AutoScalingGroupName: groupName,
    LifecycleTransition: transition,
    NotificationTargetARN: input.NotificationTargetARN ?? previous?.NotificationTargetARN,
    RoleARN: input.RoleARN ?? previous?.RoleARN,
    NotificationMetadata: metadata,
    HeartbeatTimeout: heartbeat,
    GlobalTimeout: Math.min(100 * heartbeat, 172_800),
    DefaultResult: result,
  };
}

/** Put (create or update) one hook on a group. */
function putHook(cloud: CloudApi, group: GroupRecord, input: HookInput): void {
  const hooks = hooksOf(cloud, group);
  const i = hooks.findIndex((h) => h.LifecycleHookName === input.LifecycleHookName);
  const hook = buildHook(group.AutoScalingGroupName, input, i >= 0 ? hooks[i] : undefined);
  if (i >= 0) hooks[i] = hook;
  else {
    if (hooks.length >= MAX_HOOKS)
      throw new AwsError("LimitExceeded", `Max number of lifecycle hooks (${MAX_HOOKS}) for this group reached.`);
    hooks.push(hook);
  }
  cloud.markDirty();
}

export function putLifecycleHook(input: HookInput & { AutoScalingGroupName?: string }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  putHook(ctx.cloud, group, input);
  return {};
}

/** CreateAutoScalingGroup's hooks: every specification is checked before the group is created. */
export function checkHookSpecifications(groupName: string, specs: HookInput[] | undefined): void {
  const names = new Set<string>();
  for (const spec of specs ?? []) {
    if (!spec.LifecycleTransition) throw validationError("LifecycleTransition is required in a LifecycleHookSpecification.");
    buildHook(groupName, spec);
    if (names.has(spec.LifecycleHookName!)) throw validationError(`Duplicate lifecycle hook name ${spec.LifecycleHookName}.`);
    names.add(spec.LifecycleHookName!);
  }
  if (names.size > MAX_HOOKS) throw new AwsError("LimitExceeded", `Max number of lifecycle hooks (${MAX_HOOKS}) for this group reached.`);
}

export function putInitialHooks(cloud: CloudApi, group: GroupRecord, specs: HookInput[] | undefined): void {
  for (const spec of specs ?? []) putHook(cloud, group, spec);
}

export function describeLifecycleHooks(input: { AutoScalingGroupName?: string; LifecycleHookNames?: string[] }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const wanted = input.LifecycleHookNames ?? [];
  if (wanted.length > 50) throw validationError("At most 50 lifecycle hook names can be given.");
  const hooks = hooksOf(ctx.cloud, group).filter((h) => wanted.length === 0 || wanted.includes(h.LifecycleHookName));
  return { LifecycleHooks: hooks.map((h) => ({ ...h })) };
}

export function deleteLifecycleHook(input: { AutoScalingGroupName?: string; LifecycleHookName?: string }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const hooks = hooksOf(ctx.cloud, group);
  const i = hooks.findIndex((h) => h.LifecycleHookName === input.LifecycleHookName);
  if (i < 0) throw validationError(`No Lifecycle Hook found with name ${input.LifecycleHookName} for group ${group.AutoScalingGroupName}.`);
  hooks.splice(i, 1);
  ctx.cloud.markDirty();
  return {};
}

export function describeLifecycleHookTypes() {
  return { LifecycleHookTypes: [...TRANSITIONS] };
}

/** A deleted group's hooks go with it. */
export function deleteGroupHooks(cloud: CloudApi, group: GroupRecord): void {
  const state = asgState(cloud);
  if (state.lifecycleHooks?.[group.AutoScalingGroupARN]) {
    delete state.lifecycleHooks[group.AutoScalingGroupARN];
    cloud.markDirty();
  }
}
