/** DeleteAlarms, SetAlarmState, EnableAlarmActions, DisableAlarmActions. */
import { AwsError, type CloudApi, type RequestContext } from "../../../core/types.ts";
import { alarmKey, cwState, type StoredAlarm } from "../state.ts";
import { appendHistory, findAlarm, historyView } from "./store.ts";
import { changeAlarmState } from "./transition.ts";

const STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;

/**
 * Deletes the named alarms of the region. Names that match no alarm are skipped without an
 * error: that is what AWS does today (its API reference says alarms with correct names are
 * still deleted, and CloudFormation's alarm handler has to check existence itself because
 * DeleteAlarms never reports a missing alarm). Returns the names actually deleted.
 */
export function deleteAlarms(cloud: CloudApi, region: string, names: string[]): string[] {
  const state = cwState(cloud);
  const deleted: string[] = [];
  for (const name of names) {
    const alarm = state.alarms[alarmKey(region, name)];
    if (!alarm) continue;
    appendHistory(cloud, {
      region,
      name,
      type: "ConfigurationUpdate",
      summary: `Alarm "${name}" deleted`,
      data: JSON.stringify({ version: "1.0", type: "Delete", deletedAlarm: historyView(alarm) }),
    });
    delete state.alarms[alarmKey(region, name)];
    deleted.push(name);
  }
  if (deleted.length) cloud.markDirty();
  return deleted;
}

export function deleteAlarmsHandler(input: { AlarmNames?: string[] }, ctx: RequestContext) {
  if (!input.AlarmNames) throw new AwsError("MissingParameter", "The parameter AlarmNames is required.", 400);
  if (input.AlarmNames.length > 100)
    throw new AwsError("InvalidParameterValue", "The collection AlarmNames must not have a size greater than 100.", 400);
  deleteAlarms(ctx.cloud, ctx.region, input.AlarmNames);
  return {};
}

function mustFind(ctx: RequestContext, name: string | undefined): StoredAlarm {
  const alarm = name ? findAlarm(ctx.cloud, ctx.region, name) : undefined;
  if (!alarm) throw new AwsError("ResourceNotFound", `Alarm ${name} not found`, 404);
  return alarm;
}

/** The state holds until the next evaluation puts the alarm back where its data says it belongs. */
export function setAlarmState(
  input: { AlarmName?: string; StateValue?: string; StateReason?: string; StateReasonData?: string },
  ctx: RequestContext,
) {
  if (!input.AlarmName) throw new AwsError("MissingParameter", "The parameter AlarmName is required.", 400);
  if (!input.StateValue) throw new AwsError("MissingParameter", "The parameter StateValue is required.", 400);
  if (input.StateReason === undefined || input.StateReason === null)
    throw new AwsError("MissingParameter", "The parameter StateReason is required.", 400);
  if (!(STATES as readonly string[]).includes(input.StateValue))
    throw new AwsError("InvalidParameterValue", `The value ${input.StateValue} for parameter StateValue is invalid.`, 400);
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw new AwsError("InvalidFormat", "The StateReasonData parameter is not a valid JSON document.", 400);
    }
  }
  const alarm = mustFind(ctx, input.AlarmName);
  changeAlarmState(ctx.cloud, alarm, input.StateValue as (typeof STATES)[number], input.StateReason, input.StateReasonData);
  return {};
}

function setActionsEnabled(input: { AlarmNames?: string[] }, ctx: RequestContext, enabled: boolean) {
  if (!input.AlarmNames) throw new AwsError("MissingParameter", "The parameter AlarmNames is required.", 400);
  for (const name of input.AlarmNames) {
    const alarm = findAlarm(ctx.cloud, ctx.region, name);
    if (alarm) alarm.config.ActionsEnabled = enabled;
  }
  ctx.cloud.markDirty();
  return {};
}

export const enableAlarmActions = (input: { AlarmNames?: string[] }, ctx: RequestContext) => setActionsEnabled(input, ctx, true);
export const disableAlarmActions = (input: { AlarmNames?: string[] }, ctx: RequestContext) => setActionsEnabled(input, ctx, false);
