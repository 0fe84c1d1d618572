/**
 * STS's persisted state: the role sessions AssumeRole handed out, by access key id, so later
 * requests signed with them are recognised as the role (core/authz/caller.ts).
 */
import type { CloudApi } from "../../core/types.ts";
import type { PolicyDocument } from "../iam/state.ts";

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Lower-cased role name (the IAM state key): the session carries whatever the role allows now. */
  roleKey: string;
  roleArn: string;
  roleId: string;
  roleName: string;
  sessionName: string;
  assumedRoleArn: string;
  /** WALL ms: clients refresh temporary credentials by their own clock. */
  expiresAt: number;
  /** The inline session policy passed to AssumeRole, which further limits the role's permissions. */
  sessionPolicy?: PolicyDocument;
  /** Session tags (aws:PrincipalTag/<key> in later requests). */
  tags: Array<{ Key: string; Value: string }>;
  sourceIdentity?: string;
}

export interface StsState {
  sessions: Record<string, SessionRecord>;
}

export function initialStsState(): StsState {
  return { sessions: {} };
}

export function stsState(cloud: CloudApi): StsState {
  return cloud.state<StsState>("sts");
}

/** Sessions expired for a day are forgotten (until then their keys answer ExpiredToken, not InvalidClientTokenId). */
export function pruneSessions(cloud: CloudApi): void {
  const sessions = stsState(cloud).sessions;
  const cutoff = Date.now() - 86_400_000;
  let pruned = false;
  for (const [id, s] of Object.entries(sessions)) {
    if (s.expiresAt < cutoff) {
      delete sessions[id];
      pruned = true;
    }
  }
  if (pruned) cloud.markDirty();
}
