/**
 * Helpers for the STS / IAM / enforcement tests: SDK clients with any credentials, Debian's
 * awscli and boto3 with temporary credentials (session token), and the policy documents the
 * tests attach.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { Credentials } from "./cli-runners.ts";
import { clientConfig } from "./helpers.ts";

export const ACCOUNT = "000000000000";

export function stsClient(url: string, credentials?: Credentials): STSClient {
  return new STSClient({ ...clientConfig(url), ...(credentials ? { credentials } : {}) });
}

export function iamClient(url: string, credentials?: Credentials): IAMClient {
  return new IAMClient({ ...clientConfig(url), ...(credentials ? { credentials } : {}) });
}

export const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** A trust policy letting the account (its root, so its identities with permission) assume the role, optionally only with an ExternalId. */
export function accountTrust(externalId?: string): string {
  return policy({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: "sts:AssumeRole",
    ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
  });
}

export const EC2_TRUST = policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });

// The awscli and boto3 runners are the shared ones (cli-runners.ts): awsCli takes the credentials to
// run as, boto3's `client(name, creds)` the ones STS returned.
export { AWS_CLI, awsCli, boto3, type CliResult, type Credentials, hasBoto3 } from "./cli-runners.ts";
