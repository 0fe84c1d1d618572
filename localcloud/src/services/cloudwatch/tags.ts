/** TagResource / UntagResource / ListTagsForResource for alarm ARNs of the caller's region. */
import { checkTags, mergeTags, type TagInput, type TagRules, withoutKeys } from "../../core/tags.ts";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { alarmKey, cwState, type StoredAlarm } from "./state.ts";

/** Alarm tags: InvalidParameterValue for a bad tag or more than 50. */
const cwTagRules: TagRules = {
  invalid: (message) => new AwsError("InvalidParameterValue", message, 400),
  tooMany: (max) => new AwsError("InvalidParameterValue", `An alarm can have at most ${max} tags.`, 400),
  reserved: [],
};

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;

function alarmByArn(arn: string | undefined, ctx: RequestContext): StoredAlarm {
  if (!arn) throw new AwsError("MissingParameter", "The parameter ResourceARN is required.", 400);
  const m = ALARM_ARN.exec(arn);
  if (!m) throw new AwsError("InvalidParameterValue", `The value ${arn} for parameter ResourceARN is invalid.`, 400);
  const alarm = m[1] === ctx.region && m[2] === ctx.cloud.accountId ? cwState(ctx.cloud).alarms[alarmKey(m[1], m[3])] : undefined;
  if (!alarm) throw new AwsError("ResourceNotFoundException", `Unknown resource: ${arn}`, 404);
  return alarm;
}

export function tagResource(input: { ResourceARN?: string; Tags?: TagInput[] }, ctx: RequestContext) {
  const alarm = alarmByArn(input.ResourceARN, ctx);
  alarm.tags = mergeTags(alarm.tags, checkTags(input.Tags, cwTagRules), cwTagRules);
  ctx.cloud.markDirty();
  return {};
}

export function untagResource(input: { ResourceARN?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const alarm = alarmByArn(input.ResourceARN, ctx);
  alarm.tags = withoutKeys(alarm.tags, input.TagKeys);
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { ResourceARN?: string }, ctx: RequestContext) {
  return { Tags: alarmByArn(input.ResourceARN, ctx).tags.map((t) => ({ ...t })) };
}
