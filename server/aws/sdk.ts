/**
 * The AWS SDK commands and types the rest of the app uses, re-exported so that `server/aws/`
 * stays the only importer of `@aws-sdk/*`. Add here what a new call needs.
 */
export {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateNatGatewayCommand,
  CreateLaunchTemplateVersionCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteInternetGatewayCommand,
  DeleteLaunchTemplateCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand as DescribeEc2TagsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  GetConsoleOutputCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  ReleaseAddressCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
export type {
  IpPermission,
  LaunchTemplate,
  LaunchTemplateTagSpecificationRequest,
  LaunchTemplateVersion,
  NatGateway,
  RequestLaunchTemplateData,
  RouteTable,
  SecurityGroup,
} from "@aws-sdk/client-ec2";

export {
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand as CreateOrUpdateGroupTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteTagsCommand as DeleteGroupTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  EnableMetricsCollectionCommand,
  PutScalingPolicyCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
export type { AutoScalingGroup } from "@aws-sdk/client-auto-scaling";

export {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand as DescribeElbTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
export type { Action as ElbAction, LoadBalancer, Rule as ElbRule, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";

export {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEventsCommand as DescribeRdsEventsCommand,
  ListTagsForResourceCommand as ListRdsTagsCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
} from "@aws-sdk/client-rds";
export type { CreateDBInstanceCommandInput, DBInstance } from "@aws-sdk/client-rds";

export {
  CreateCacheSubnetGroupCommand,
  CreateReplicationGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeReplicationGroupsCommand,
  ListTagsForResourceCommand as ListCacheTagsCommand,
  TestFailoverCommand,
} from "@aws-sdk/client-elasticache";
export type { ReplicationGroup } from "@aws-sdk/client-elasticache";

export {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
export type { CloudWatchClient, MetricDataQuery, PutMetricAlarmCommandInput } from "@aws-sdk/client-cloudwatch";

export {
  CreateDistributionWithTagsCommand,
  CreateInvalidationCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand as ListDistributionTagsCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
export type { Distribution, DistributionConfig } from "@aws-sdk/client-cloudfront";

export {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
export type { Role } from "@aws-sdk/client-iam";

export {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  ListTagsForResourceCommand as ListParameterTagsCommand,
  PutParameterCommand,
} from "@aws-sdk/client-ssm";

// The SDK's paginators for paged reads (never a hand-written NextToken/Marker loop); CloudWatch's are in cloudwatch.ts.
export { paginateDescribeAutoScalingGroups } from "@aws-sdk/client-auto-scaling";
export { paginateDescribeLaunchTemplateVersions } from "@aws-sdk/client-ec2";
export { paginateDescribeLoadBalancers, paginateDescribeRules } from "@aws-sdk/client-elastic-load-balancing-v2";
