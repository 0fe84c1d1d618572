/**
 * Refusals as AWS words them per protocol:
 *   EC2          403 UnauthorizedOperation "You are not authorized to perform this operation.
 *                Encoded authorization failure message: <opaque>" (sts:DecodeAuthorizationMessage
 *                decodes it, as on AWS)
 *   awsJson      403 AccessDeniedException "User: <arn> is not authorized to perform: <action> on
 *                resource: <arn> because no identity-based policy allows the <action> action"
 *   query / REST 403 AccessDenied, same message (CloudWatch's JSON form too: it is query-compatible)
 */
import { AwsError } from "../types.ts";
import type { Caller } from "./caller.ts";

export type Denial = "ExplicitlyDenied" | "ImplicitlyDenied";

/** What the encoded message carries: the shape AWS's DecodeAuthorizationMessage returns. */
interface DecodedAuthorization {
  allowed: false;
  explicitDeny: boolean;
  matchedStatements: { items: unknown[] };
  failures: { items: unknown[] };
  context: {
    principal: { id: string; arn: string };
    action: string;
    resource: string;
    conditions: { items: Array<{ key: string; values: { items: Array<{ value: string }> } }> };
  };
}

const MESSAGE_PREFIX = "lc1.";

export function encodeAuthorizationMessage(
  caller: Caller,
  action: string,
  resource: string,
  denial: Denial,
  context: Record<string, string | string[]>,
): string {
  const decoded: DecodedAuthorization = {
    allowed: false,
    explicitDeny: denial === "ExplicitlyDenied",
    matchedStatements: { items: [] },
    failures: { items: [] },
    context: {
      principal: { id: caller.userId, arn: caller.arn },
      action,
      resource,
      conditions: {
        items: Object.entries(context).map(([key, v]) => ({ key, values: { items: [v].flat().map((value) => ({ value })) } })),
      },
    },
  };
  return MESSAGE_PREFIX + Buffer.from(JSON.stringify(decoded)).toString("base64url");
}

/** The JSON text of an encoded message, or undefined when it is not one of ours. */
export function decodeAuthorizationMessage(encoded: string): string | undefined {
  if (!encoded.startsWith(MESSAGE_PREFIX)) return undefined;
  try {
    const text = Buffer.from(encoded.slice(MESSAGE_PREFIX.length), "base64url").toString("utf8");
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

export function deniedMessage(caller: Caller, action: string, resource: string, denial: Denial): string {
  const why =
    denial === "ExplicitlyDenied"
      ? "with an explicit deny in an identity-based policy"
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/** The refusal of `action` on `resource` for the protocol the caller came through. */
export function accessDenied(
  caller: Caller,
  action: string,
  resource: string,
  denial: Denial,
  context: Record<string, string | string[]> = {},
): AwsError {
  if (caller.protocol === "ec2") {
    const encoded = encodeAuthorizationMessage(caller, action, resource, denial, context);
    return new AwsError(
      "UnauthorizedOperation",
      `You are not authorized to perform this operation. Encoded authorization failure message: ${encoded}`,
      403,
    );
  }
  const message = deniedMessage(caller, action, resource, denial);
  if (caller.protocol === "json" && caller.service !== "monitoring") return new AwsError("AccessDeniedException", message, 403);
  return new AwsError("AccessDenied", message, 403);
}
