/**
 * The AWS managed policies a web stack attaches, by ARN, with their documents as AWS publishes
 * them as far as known when written (AWS revises them, adding actions; the version ids, policy
 * ids and dates here are best knowledge, not guaranteed to match the live ones).
 * They are global, read-only and shared by every account: CreatePolicyVersion and DeletePolicy
 * on them are refused as on AWS.
 */
import type { PolicyDocument } from "./state.ts";

export interface AwsManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description: string;
  DefaultVersionId: string;
  /** AWS's creation and last update dates for the policy (ISO). */
  CreateDate: string;
  UpdateDate: string;
  Document: PolicyDocument;
}

const V = "2012-10-17";

function managed(
  name: string,
  id: string,
  path: string,
  version: string,
  created: string,
  updated: string,
  description: string,
  statements: unknown[],
): AwsManagedPolicy {
  return {
    PolicyName: name,
    PolicyId: id,
    Arn: `arn:aws:iam::aws:policy${path}${name}`,
    Path: path,
    Description: description,
    DefaultVersionId: version,
    CreateDate: created,
    UpdateDate: updated,
    Document: { Version: V, Statement: statements },
  };
}

const CATALOGUE: AwsManagedPolicy[] = [
  managed(
    "AdministratorAccess",
    "ANPAIWMBCKSKIEE64ZLYK",
    "/",
    "v1",
    "2015-02-06T18:39:46Z",
    "2015-02-06T18:39:46Z",
    "Provides full access to AWS services and resources.",
    [{ Effect: "Allow", Action: "*", Resource: "*" }],
  ),
  managed(
    "AmazonSSMManagedInstanceCore",
    "ANPAIXSHM2BNB2D3AXXRU",
    "/",
    "v3",
    "2019-03-15T17:22:12Z",
    "2023-05-23T18:10:23Z",
    "The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.",
    [
      {
        Effect: "Allow",
        Action: [
          "ssm:DescribeAssociation",
          "ssm:GetDeployablePatchSnapshotForInstance",
          "ssm:GetDocument",
          "ssm:DescribeDocument",
          "ssm:GetManifest",
          "ssm:GetParameter",
          "ssm:GetParameters",
          "ssm:ListAssociations",
          "ssm:ListInstanceAssociations",
          "ssm:PutInventory",
          "ssm:PutComplianceItems",
          "ssm:PutConfigurePackageResult",
          "ssm:UpdateAssociationStatus",
          "ssm:UpdateInstanceAssociationStatus",
          "ssm:UpdateInstanceInformation",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: [
          "ec2messages:AcknowledgeMessage",
          "ec2messages:DeleteMessage",
          "ec2messages:FailMessage",
          "ec2messages:GetEndpoint",
          "ec2messages:GetMessages",
          "ec2messages:SendReply",
        ],
        Resource: "*",
      },
    ],
  ),
  managed(
    "CloudWatchAgentServerPolicy",
    "ANPAIGOPKN7KRDAKTLG4I",
    "/",
    "v2",
    "2017-09-13T00:00:35Z",
    "2019-08-19T18:13:42Z",
    "Permissions required to use AmazonCloudWatchAgent on servers",
    [
      {
        Effect: "Allow",
        Action: [
          "cloudwatch:PutMetricData",
          "ec2:DescribeVolumes",
          "ec2:DescribeTags",
          "logs:PutLogEvents",
          "logs:DescribeLogStreams",
          "logs:DescribeLogGroups",
          "logs:CreateLogStream",
          "logs:CreateLogGroup",
        ],
        Resource: "*",
      },
      { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*" },
    ],
  ),
  managed(
    "AmazonS3ReadOnlyAccess",
    "ANPAIZTJ4DXE7G6AGAE6M",
    "/",
    "v3",
    "2015-02-06T18:40:59Z",
    "2023-08-10T21:31:39Z",
    "Provides read only access to all buckets via the AWS Management Console.",
    [
      {
        Effect: "Allow",
        Action: ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"],
        Resource: "*",
      },
    ],
  ),
  managed(
    "SecretsManagerReadWrite",
    "ANPAJEEAZ3ZJCWMCIMGAA",
    "/",
    "v5",
    "2018-04-04T18:05:29Z",
    "2024-03-01T00:00:00Z",
    "Provides read/write access to AWS Secrets Manager via the AWS Management Console. Note: this exludes IAM actions, so combine with IAMFullAccess if rotation configuration is required.",
    [
      {
        Sid: "BasePermissions",
        Effect: "Allow",
        Action: [
          "secretsmanager:*",
          "cloudformation:CreateChangeSet",
          "cloudformation:DescribeChangeSet",
          "cloudformation:DescribeStackResource",
          "cloudformation:DescribeStacks",
          "cloudformation:ExecuteChangeSet",
          "docdb-elastic:GetCluster",
          "docdb-elastic:ListClusters",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "kms:DescribeKey",
          "kms:ListAliases",
          "kms:ListKeys",
          "lambda:ListFunctions",
          "rds:DescribeDBClusters",
          "rds:DescribeDBInstances",
          "redshift:DescribeClusters",
          "redshift-serverless:ListWorkgroups",
          "redshift-serverless:GetNamespace",
          "tag:GetResources",
        ],
        Resource: "*",
      },
      {
        Sid: "LambdaPermissions",
        Effect: "Allow",
        Action: [
          "lambda:AddPermission",
          "lambda:CreateFunction",
          "lambda:GetFunction",
          "lambda:InvokeFunction",
          "lambda:UpdateFunctionConfiguration",
        ],
        Resource: "arn:aws:lambda:*:*:function:SecretsManager*",
      },
      {
        Sid: "SARPermissions",
        Effect: "Allow",
        Action: ["serverlessrepo:CreateCloudFormationChangeSet", "serverlessrepo:GetApplication"],
        Resource: "arn:aws:serverlessrepo:*:*:applications/SecretsManager*",
      },
      {
        Sid: "S3Permissions",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::awsserverlessrepo-changesets*", "arn:aws:s3:::secrets-manager-rotation-apps-*/*"],
      },
    ],
  ),
  managed(
    "AmazonEC2ReadOnlyAccess",
    "ANPAIGDT4SV4GSETWTBZK",
    "/",
    "v3",
    "2015-02-06T18:40:17Z",
    "2018-11-27T02:16:56Z",
    "Provides read only access to Amazon EC2 via the AWS Management Console.",
    [
      { Effect: "Allow", Action: "ec2:Describe*", Resource: "*" },
      { Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*" },
      { Effect: "Allow", Action: ["cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics", "cloudwatch:Describe*"], Resource: "*" },
      { Effect: "Allow", Action: "autoscaling:Describe*", Resource: "*" },
    ],
  ),
];

const BY_ARN = new Map(CATALOGUE.map((p) => [p.Arn, p]));

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): AwsManagedPolicy[] {
  return CATALOGUE;
}

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith("arn:aws:iam::aws:policy/");
}
