/**
 * The instances' identity (skipped when the spec names an instance profile of its own):
 *   ensureInstanceRole  (after the database exists: its secret's ARN goes into the policy)
 *                       role <prefix><name>-instance (trusted by EC2), with
 *                       - AmazonSSMManagedInstanceCore: Session Manager instead of SSH, and the
 *                         SSM agent's own calls;
 *                       - an inline policy: s3:GetObject on the app's artifacts only, ssm:GetParameter*
 *                         under /switchyard/<name>/ only, secretsmanager:GetSecretValue on the
 *                         database's master secret only;
 *                       and an instance profile of the same name holding the role.
 * Everything is found by name and must carry the environment's tag (ownership.ts).
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
  type Role,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { isAlreadyExists, isNotFound } from "../aws/errors.ts";
import { defineStep, tagsOf, type StepContext, type StepInput } from "./context.ts";
import { checkOwner } from "./ownership.ts";

export const SSM_CORE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
export const INLINE_POLICY = "switchyard-delivery";
/** IAM path of the roles Switchyard creates: the deployer policy's iam:PassRole is scoped to it. */
export const ROLE_PATH = "/switchyard/";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** s3://bucket/<env>/app-{{version}}.tgz -> arn:aws:s3:::bucket/<env>/app-*.tgz: every version, nothing else. */
export function artifactArnPattern(artifactUri: string, environment: string): string {
  const path = artifactUri
    .replace(/^s3:\/\//, "")
    .replaceAll("{{environment}}", environment)
    .replaceAll("{{version}}", "*");
  return `arn:aws:s3:::${path}`;
}

/** The partition and account of an IAM ARN (the role's, once it exists). */
const accountOf = (arn: string) => ({ partition: arn.split(":")[1] ?? "aws", account: arn.split(":")[4] ?? "" });

export function deliveryPolicy(input: StepInput & { dbSecretArn: string | null }, roleArn: string, parametersPath: string): string {
  const { partition, account } = accountOf(roleArn);
  const parameters = `arn:${partition}:ssm:${input.spec.region}:${account}:parameter${parametersPath}`;
  const statements: object[] = [
    {
      Sid: "ReadTheAppsArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [artifactArnPattern(input.spec.app.artifactUri, input.spec.name)],
    },
    {
      Sid: "ReadTheDeliveryContract",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
      Resource: [parameters, `${parameters}/*`],
    },
  ];
  if (input.dbSecretArn)
    statements.push({
      Sid: "ReadTheDatabaseSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [input.dbSecretArn],
    });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

async function findRole(ctx: StepContext): Promise<Role | undefined> {
  try {
    const role = (await ctx.aws.iam.send(new GetRoleCommand({ RoleName: ctx.names.instanceRole }))).Role;
    if (role) checkOwner(ctx, "An IAM role", ctx.names.instanceRole, role.Tags);
    return role;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function ensureRole(input: StepInput, ctx: StepContext): Promise<Role> {
  const found = await findRole(ctx);
  if (found?.Arn) {
    ctx.touch("iam:role", found.Arn, "found");
    return found;
  }
  try {
    const role = (
      await ctx.aws.iam.send(
        new CreateRoleCommand({
          RoleName: ctx.names.instanceRole,
          Path: ROLE_PATH,
          AssumeRolePolicyDocument: TRUST,
          Description: `Switchyard ${input.spec.name}: its instances`,
          Tags: tagsOf(input),
        }),
      )
    ).Role!;
    ctx.touch("iam:role", role.Arn!, "created");
    return role;
  } catch (err) {
    // A retried step whose first create went through: the role is there now.
    if (!isAlreadyExists(err)) throw err;
    const role = await afterCreate(
      async () => (await findRole(ctx)) ?? Promise.reject(Object.assign(new Error("role not visible"), { name: "NoSuchEntity" })),
    );
    ctx.touch("iam:role", role.Arn!, "found");
    return role;
  }
}

async function ensurePolicies(input: StepInput & { dbSecretArn: string | null }, ctx: StepContext, role: Role) {
  const { iam } = ctx.aws;
  const roleName = ctx.names.instanceRole;
  const attached = await afterCreate(() => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })));
  if (!attached.AttachedPolicies?.some((p) => p.PolicyArn === SSM_CORE_POLICY)) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: SSM_CORE_POLICY }));
    ctx.touch("iam:role-policy", `${roleName}/AmazonSSMManagedInstanceCore`, "created");
  }
  const wanted = deliveryPolicy(input, role.Arn!, ctx.names.parameters);
  const current = await iam
    .send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: INLINE_POLICY }))
    .catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
  // IAM answers documents URL-encoded.
  const same = current?.PolicyDocument && JSON.stringify(JSON.parse(decodeURIComponent(current.PolicyDocument))) === wanted;
  if (!same) {
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: INLINE_POLICY, PolicyDocument: wanted }));
    ctx.touch("iam:role-policy", `${roleName}/${INLINE_POLICY}`, current ? "updated" : "created");
  }
}

async function ensureProfile(input: StepInput, ctx: StepContext): Promise<string> {
  const { iam } = ctx.aws;
  const name = ctx.names.instanceRole;
  const get = async () => {
    try {
      const p = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))).InstanceProfile;
      if (p) checkOwner(ctx, "An instance profile", name, p.Tags);
      return p;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  let profile = await get();
  if (profile) ctx.touch("iam:instance-profile", profile.Arn!, "found");
  else {
    try {
      profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Path: ROLE_PATH, Tags: tagsOf(input) })))
        .InstanceProfile;
      ctx.touch("iam:instance-profile", profile!.Arn!, "created");
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      profile = await get();
    }
  }
  if (!profile?.Arn) throw new Error(`Instance profile ${name} is not visible after creation`);
  if (!profile.Roles?.some((r) => r.RoleName === name)) {
    await afterCreate(() => iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name })));
  }
  return profile.Arn;
}

export interface InstanceRoleOutput {
  instanceProfileArn: string;
  roleArn: string | null;
}

export const ensureInstanceRole = defineStep(
  "create the instance role and profile",
  async (input: StepInput & { dbSecretArn: string | null }, ctx): Promise<InstanceRoleOutput> => {
    // The spec's own profile: Switchyard passes it to EC2 and leaves its permissions to its owner.
    if (input.spec.app.instanceProfileArn) return { instanceProfileArn: input.spec.app.instanceProfileArn, roleArn: null };
    const role = await ensureRole(input, ctx);
    await ensurePolicies(input, ctx, role);
    const instanceProfileArn = await ensureProfile(input, ctx);
    return { instanceProfileArn, roleArn: role.Arn! };
  },
);
