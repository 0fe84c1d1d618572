/** Auto Scaling (awsQuery): groups that keep their desired capacity of EC2 instances, with activities, policies and refreshes. */
import type { ServiceModule } from "../../core/types.ts";
import { DescribeScalingActivities } from "./activities.ts";
import * as groups from "./groups.ts";
import * as instances from "./instances.ts";
import { DisableMetricsCollection, EnableMetricsCollection } from "./metrics.ts";
import { DeletePolicy, DescribePolicies, PutScalingPolicy } from "./policies.ts";
import { DeleteLifecycleHook, DescribeLifecycleHookTypes, DescribeLifecycleHooks, PutLifecycleHook } from "./lifecycle-hooks.ts";
import { tickAutoScaling } from "./reconcile.ts";
import { CancelInstanceRefresh, DescribeInstanceRefreshes, StartInstanceRefresh } from "./refresh.ts";
import { initialAsgState, type AsgState } from "./state.ts";
import * as tags from "./tags.ts";
import { AttachLoadBalancerTargetGroups, DetachLoadBalancerTargetGroups } from "./target-groups.ts";

const service: ServiceModule<AsgState> = {
  name: "autoscaling",
  initialState: initialAsgState,
  handlers: {
    CreateAutoScalingGroup: groups.CreateAutoScalingGroup,
    UpdateAutoScalingGroup: groups.UpdateAutoScalingGroup,
    DeleteAutoScalingGroup: groups.DeleteAutoScalingGroup,
    DescribeAutoScalingGroups: groups.DescribeAutoScalingGroups,
    SetDesiredCapacity: groups.SetDesiredCapacity,
    DescribeAutoScalingInstances: instances.DescribeAutoScalingInstances,
    TerminateInstanceInAutoScalingGroup: instances.TerminateInstanceInAutoScalingGroup,
    SetInstanceProtection: instances.SetInstanceProtection,
    DescribeScalingActivities,
    PutScalingPolicy,
    DescribePolicies,
    DeletePolicy,
    EnableMetricsCollection,
    DisableMetricsCollection,
    StartInstanceRefresh,
    DescribeInstanceRefreshes,
    CancelInstanceRefresh,
    CreateOrUpdateTags: tags.CreateOrUpdateTags,
    DeleteTags: tags.DeleteTags,
    DescribeTags: tags.DescribeTags,
    AttachLoadBalancerTargetGroups,
    DetachLoadBalancerTargetGroups,
    PutLifecycleHook,
    DescribeLifecycleHooks,
    DeleteLifecycleHook,
    DescribeLifecycleHookTypes,
  },
  tick: tickAutoScaling,
};
export default service;
