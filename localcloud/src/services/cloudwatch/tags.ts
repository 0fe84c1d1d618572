/** TagResource / UntagResource / ListTagsForResource for alarm ARNs of the caller's region. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { alarmKey, cwState, type StoredAlarm } from "./state.ts";

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;

function alarmByArn(arn: string | undefined, ctx: RequestContext): StoredAlarm {
  if (!arn) throw new AwsError("MissingParameter", "The parameter ResourceARN is required.", 400);
  const m = ALARM_ARN.exec(arn);
  if (!m) throw new AwsError("InvalidParameterValue", `The value ${arn} for parameter ResourceARN is invalid.`, 400);
  const alarm = m[1] === ctx.region && m[2] === ctx.cloud.accountId ? cwState(ctx.cloud).alarms[alarmKey(m[1], m[3])] : undefined;
  if (!alarm) throw new AwsError("ResourceNotFoundException", `Unknown resource: ${arn}`, 404);
  return alarm;
}

export function tagResource(input: { ResourceARN?: string; Tags?: Array<{ Key: string; Value: string }> }, ctx: RequestContext) {
  const alarm = alarmByArn(input.ResourceARN, ctx);
  const tags = alarm.tags.map((t) => ({ ...t }));
  for (const tag of input.Tags ?? []) {
    if (!tag.Key || tag.Key.length > 128)
      throw new AwsError("InvalidParameterValue", `The value ${tag.Key} for parameter Tags.Key is invalid.`, 400);
    const value = tag.Value ?? "";
    const existing = tags.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = value;
    else tags.push({ Key: tag.Key, Value: value });
  }
  if (tags.length > 50) throw new AwsError("InvalidParameterValue", "An alarm can have at most 50 tags.", 400);
  alarm.tags = tags;
  ctx.cloud.markDirty();
  return {};
}

export function untagResource(input: { ResourceARN?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const alarm = alarmByArn(input.ResourceARN, ctx);
  const drop = new Set(input.TagKeys ?? []);
  alarm.tags = alarm.tags.filter((t) => !drop.has(t.Key));
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { ResourceARN?: string }, ctx: RequestContext) {
  return { Tags: alarmByArn(input.ResourceARN, ctx).tags.map((t) => ({ ...t })) };
}
