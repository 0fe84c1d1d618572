/**
 * AWS STS (awsQuery): GetCallerIdentity, AssumeRole (trust policies, ExternalId, temporary
 * credentials recognised in later requests) and DecodeAuthorizationMessage (for EC2's encoded
 * UnauthorizedOperation messages).
 */
import { AwsError, type RequestContext, type ServiceModule } from "../../core/types.ts";
import { accountCaller } from "../../core/authz/caller.ts";
import { decodeAuthorizationMessage } from "../../core/authz/errors.ts";
import { assumeRole } from "./assume-role.ts";
import { initialStsState, type StsState } from "./state.ts";

export type { SessionRecord } from "./state.ts";

function getCallerIdentity(_input: unknown, ctx: RequestContext) {
  const caller = ctx.caller ?? accountCaller(ctx.cloud, "sts", "query");
  return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
}

function decode(input: { EncodedMessage: string }) {
  const text = decodeAuthorizationMessage(input.EncodedMessage);
  if (text === undefined) throw new AwsError("InvalidAuthorizationMessageException", "Message is not valid", 400);
  return { DecodedMessage: text };
}

const service: ServiceModule<StsState> = {
  name: "sts",
  initialState: initialStsState,
  handlers: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    DecodeAuthorizationMessage: decode,
  },
};
export default service;
