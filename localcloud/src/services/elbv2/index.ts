/**
 * Elastic Load Balancing v2 (Application Load Balancers): load balancers, target groups,
 * listeners with weighted forwards, listener rules, targets with simulated health, tags.
 */
import type { CloudApi, ServiceModule } from "../../core/types.ts";
import { elbState, initialElbState, type TargetGroupRecord } from "./state.ts";
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancers } from "./load-balancers.ts";
import { describeLoadBalancerAttributes, modifyLoadBalancerAttributes } from "./load-balancer-attributes.ts";
import { describeListenerAttributes, modifyListenerAttributes } from "./listener-attributes.ts";
import { createTargetGroup, deleteTargetGroup, describeTargetGroups, modifyTargetGroup } from "./target-groups.ts";
import { describeTargetGroupAttributes, modifyTargetGroupAttributes } from "./target-group-attributes.ts";
import { createListener, deleteListener, describeListeners, modifyListener } from "./listeners.ts";
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from "./rules.ts";
import { deregisterTargetsHandler, describeTargetHealth, registerTargetsHandler } from "./targets.ts";
import { addTags, describeTags, removeTags } from "./tags.ts";
import { tickElb } from "./health.ts";
import { albEndpoints, tickDataPlane } from "../../dataplane/index.ts";

export { registerTargets, deregisterTargets, describeTargetHealthInternal } from "./targets.ts";
export { probeTarget } from "./health.ts";
export { loadBalancerSuffix, targetGroupSuffix } from "./state.ts";
export type { LoadBalancerRecord, ListenerRecord, RuleRecord, ConditionRecord, TargetGroupRecord, TargetRecord } from "./state.ts";

/** The target group record (settings, attributes, registered targets with their health), or undefined. */
export function getTargetGroup(cloud: CloudApi, arn: string): TargetGroupRecord | undefined {
  return elbState(cloud).targetGroups[arn];
}

const service: ServiceModule = {
  name: "elasticloadbalancing",
  initialState: initialElbState,
  handlers: {
    CreateLoadBalancer: createLoadBalancer,
    DescribeLoadBalancers: describeLoadBalancers,
    DeleteLoadBalancer: deleteLoadBalancer,
    DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
    ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
    CreateTargetGroup: createTargetGroup,
    DescribeTargetGroups: describeTargetGroups,
    ModifyTargetGroup: modifyTargetGroup,
    DeleteTargetGroup: deleteTargetGroup,
    DescribeTargetGroupAttributes: describeTargetGroupAttributes,
    ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
    CreateListener: createListener,
    DescribeListeners: describeListeners,
    ModifyListener: modifyListener,
    DeleteListener: deleteListener,
    DescribeListenerAttributes: describeListenerAttributes,
    ModifyListenerAttributes: modifyListenerAttributes,
    CreateRule: createRule,
    DescribeRules: describeRules,
    ModifyRule: modifyRule,
    SetRulePriorities: setRulePriorities,
    DeleteRule: deleteRule,
    RegisterTargets: registerTargetsHandler,
    DeregisterTargets: deregisterTargetsHandler,
    DescribeTargetHealth: describeTargetHealth,
    AddTags: addTags,
    RemoveTags: removeTags,
    DescribeTags: describeTags,
  },
  // The data plane (listener ports, instance app servers, distribution ports) follows the state on the same tick.
  tick(cloud: CloudApi, now: number) {
    tickElb(cloud, now);
    tickDataPlane(cloud, now);
  },
  endpoints: (cloud: CloudApi) => ({ loadBalancers: albEndpoints(cloud) }),
};
export default service;
