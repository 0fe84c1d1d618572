/**
 * Alarm actions: other services (Auto Scaling policies) subscribe here to hear about state
 * transitions and the actions they trigger. Listeners live in memory (code registers them at
 * import), so nothing needs persisting.
 */
import type { CloudApi } from "../../../core/types.ts";
import type { StateValue, StoredAlarm } from "../state.ts";

export interface AlarmTransition {
  cloud: CloudApi;
  region: string;
  alarmName: string;
  alarmArn: string;
  oldState: StateValue;
  newState: StateValue;
  /** ARNs configured for the new state; empty when ActionsEnabled is false. */
  actions: string[];
}

export type AlarmTransitionListener = (event: AlarmTransition) => void;

const listeners = new Set<AlarmTransitionListener>();

/** Subscribe to alarm state transitions; returns the unsubscribe function. */
export function onAlarmTransition(listener: AlarmTransitionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function actionsFor(alarm: StoredAlarm, state: StateValue): string[] {
  if (alarm.config.ActionsEnabled === false) return [];
  const c = alarm.config;
  return (state === "ALARM" ? c.AlarmActions : state === "OK" ? c.OKActions : c.InsufficientDataActions) ?? [];
}

export function notifyTransition(event: AlarmTransition): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (err) {
      // A failing subscriber must not break alarm evaluation (AWS records a failed action instead).
      console.error(`[cloudwatch] alarm action listener failed for ${event.alarmName}:`, err);
    }
  }
}
