/** Auto Scaling (awsQuery): groups that keep their desired capacity of EC2 instances, with activities, policies and refreshes. */
import type { ServiceModule } from "../../core/types.ts";
import { describeScalingActivities } from "./activities.ts";
import * as groups from "./groups.ts";
import * as instances from "./instances.ts";
import { disableMetricsCollection, enableMetricsCollection } from "./metrics.ts";
import { deletePolicy, describePolicies, putScalingPolicy } from "./policies.ts";
import { deleteLifecycleHook, describeLifecycleHookTypes, describeLifecycleHooks, putLifecycleHook } from "./lifecycle-hooks.ts";
import { tickAutoScaling } from "./reconcile.ts";
import { cancelInstanceRefresh, describeInstanceRefreshes, startInstanceRefresh } from "./refresh.ts";
import { initialAsgState, type AsgState } from "./state.ts";
import * as tags from "./tags.ts";
import { attachLoadBalancerTargetGroups, detachLoadBalancerTargetGroups } from "./target-groups.ts";

const service: ServiceModule<AsgState> = {
  name: "autoscaling",
  initialState: initialAsgState,
  handlers: {
    CreateAutoScalingGroup: groups.createAutoScalingGroup,
    UpdateAutoScalingGroup: groups.updateAutoScalingGroup,
    DeleteAutoScalingGroup: groups.deleteAutoScalingGroup,
    DescribeAutoScalingGroups: groups.describeAutoScalingGroups,
    SetDesiredCapacity: groups.setDesiredCapacity,
    DescribeAutoScalingInstances: instances.describeAutoScalingInstances,
    TerminateInstanceInAutoScalingGroup: instances.terminateInstanceInAutoScalingGroup,
    SetInstanceProtection: instances.setInstanceProtection,
    DescribeScalingActivities: describeScalingActivities,
    PutScalingPolicy: putScalingPolicy,
    DescribePolicies: describePolicies,
    DeletePolicy: deletePolicy,
    EnableMetricsCollection: enableMetricsCollection,
    DisableMetricsCollection: disableMetricsCollection,
    StartInstanceRefresh: startInstanceRefresh,
    DescribeInstanceRefreshes: describeInstanceRefreshes,
    CancelInstanceRefresh: cancelInstanceRefresh,
    CreateOrUpdateTags: tags.createOrUpdateTags,
    DeleteTags: tags.deleteTags,
    DescribeTags: tags.describeTags,
    AttachLoadBalancerTargetGroups: attachLoadBalancerTargetGroups,
    DetachLoadBalancerTargetGroups: detachLoadBalancerTargetGroups,
    PutLifecycleHook: putLifecycleHook,
    DescribeLifecycleHooks: describeLifecycleHooks,
    DeleteLifecycleHook: deleteLifecycleHook,
    DescribeLifecycleHookTypes: describeLifecycleHookTypes,
  },
  tick: tickAutoScaling,
};
export default service;
