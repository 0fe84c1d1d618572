/**
 * Who is calling: the SigV4 access key (Authorization header or presigned X-Amz-Credential) and
 * the session token. Temporary credentials from STS AssumeRole (access key ASIA...) stand for the
 * role session; any other key stands for the account (its root, or the user named by the admin
 * API). Signatures are still not verified; the session token is, since it is what AWS checks
 * first for temporary credentials.
 */
import type { IncomingHttpHeaders } from "node:http";
import { AwsError, type CloudApi, type ServiceName } from "../types.ts";
import type { ProtocolName } from "../../protocols/codec.ts";
import { iamState } from "../../services/iam/state.ts";
import { stsState, type SessionRecord } from "../../services/sts/state.ts";

export interface Caller {
  accountId: string;
  /** arn:aws:iam::<acct>:root, arn:aws:iam::<acct>:user/<name> or arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
  arn: string;
  /** The account id (root), the user's AIDA id, or "<role id>:<session name>". */
  userId: string;
  type: "Account" | "User" | "AssumedRole";
  accessKeyId?: string;
  /** Set when the credentials are a role session's. */
  session?: SessionRecord;
  /** The service and protocol the request came through: refusals are worded per protocol. */
  service: ServiceName;
  protocol: ProtocolName;
}

const CREDENTIAL = /Credential=([^/,\s]+)\//;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function accessKeyOf(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const fromHeader = CREDENTIAL.exec(header(headers, "authorization") ?? "")?.[1];
  return fromHeader ?? query.get("X-Amz-Credential")?.split("/")[0] ?? undefined;
}

/** The caller for requests signed with the account's own (static) keys, or unsigned. */
export function accountCaller(cloud: CloudApi, service: ServiceName, protocol: ProtocolName, accessKeyId?: string): Caller {
  const account = iamState(cloud).accountPolicies[cloud.accountId];
  if (account?.userName) {
    return {
      accountId: cloud.accountId,
      arn: `arn:aws:iam::${cloud.accountId}:user/${account.userName}`,
      userId: account.userId,
      type: "User",
      accessKeyId,
      service,
      protocol,
    };
  }
  return {
    accountId: cloud.accountId,
    arn: `arn:aws:iam::${cloud.accountId}:root`,
    userId: cloud.accountId,
    type: "Account",
    accessKeyId,
    service,
    protocol,
  };
}

function invalidToken(service: ServiceName, protocol: ProtocolName): AwsError {
  if (protocol === "ec2") return new AwsError("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
  if (protocol === "json" && service !== "monitoring")
    return new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 400);
  return new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
}

function expiredToken(service: ServiceName, protocol: ProtocolName): AwsError {
  if (protocol === "ec2") return new AwsError("RequestExpired", "Request has expired.", 400);
  if (protocol === "json" && service !== "monitoring")
    return new AwsError("ExpiredTokenException", "The security token included in the request is expired", 400);
  return new AwsError("ExpiredToken", "The security token included in the request is expired", 400);
}

/**
 * The caller of a request, or the error AWS answers for temporary credentials it does not
 * accept: an unknown ASIA key or a token that is not the session's (InvalidClientTokenId), or an
 * expired session (ExpiredToken). Sessions expire on the WALL clock, as clients (which refresh
 * by their own clock) expect.
 */
export function resolveCaller(
  cloud: CloudApi,
  req: { headers: IncomingHttpHeaders; query: URLSearchParams },
  service: ServiceName,
  protocol: ProtocolName,
): Caller {
  const accessKeyId = accessKeyOf(req.headers, req.query);
  const session = accessKeyId ? stsState(cloud).sessions[accessKeyId] : undefined;
  if (!session) {
    if (accessKeyId?.startsWith("ASIA")) throw invalidToken(service, protocol);
    return accountCaller(cloud, service, protocol, accessKeyId);
  }
  const token = header(req.headers, "x-amz-security-token") ?? req.query.get("X-Amz-Security-Token") ?? undefined;
  if (token !== session.sessionToken) throw invalidToken(service, protocol);
  if (Date.now() >= session.expiresAt) throw expiredToken(service, protocol);
  return {
    accountId: cloud.accountId,
    arn: session.assumedRoleArn,
    userId: `${session.roleId}:${session.sessionName}`,
    type: "AssumedRole",
    accessKeyId,
    session,
    service,
    protocol,
  };
}
