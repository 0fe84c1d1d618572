/** Changing an alarm's state: one place that records history and notifies action subscribers. */
import type { CloudApi } from "../../../core/types.ts";
import type { StateValue, StoredAlarm } from "../state.ts";
import { actionsFor, notifyTransition } from "./listeners.ts";
import { appendHistory } from "./store.ts";

export function changeAlarmState(cloud: CloudApi, alarm: StoredAlarm, newState: StateValue, reason: string, reasonData?: string): void {
  const oldState = alarm.state;
  const oldReason = alarm.reason;
  const now = cloud.now();
  alarm.reason = reason;
  alarm.reasonData = reasonData;
  alarm.stateUpdatedAt = now;
  if (oldState !== newState) {
    alarm.state = newState;
    alarm.stateTransitionedAt = now;
  }
  appendHistory(cloud, {
    region: alarm.region,
    name: alarm.config.AlarmName,
    type: "StateUpdate",
    summary: `Alarm updated from ${oldState} to ${newState}`,
    data: JSON.stringify({
      version: "1.0",
      oldState: { stateValue: oldState, stateReason: oldReason },
      newState: { stateValue: newState, stateReason: reason, ...(reasonData ? { stateReasonData: safeJson(reasonData) } : {}) },
    }),
  });
  cloud.markDirty();
  if (oldState !== newState) {
    notifyTransition({
      cloud,
      region: alarm.region,
      alarmName: alarm.config.AlarmName,
      alarmArn: alarm.arn,
      oldState,
      newState,
      actions: actionsFor(alarm, newState),
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
