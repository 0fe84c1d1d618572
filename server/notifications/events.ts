/**
 * The events an environment's channels can receive, and how each looks on the wire: the
 * webhook body is the event itself (JSON); Slack gets its message JSON (`text` plus blocks).
 */
export const EVENT_TYPES = [
  "deployment.started",
  "deployment.step",
  "deployment.verdict",
  "deployment.finished",
  "deployment.auto_rollback",
  "deployment.approval_needed",
  "alarm.state_changed",
  "drift.detected",
  "test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_LABELS: Record<EventType, string> = {
  "deployment.started": "Operation started (rollout, rollback, provisioning, teardown)",
  "deployment.step": "Timeline step succeeded or failed",
  "deployment.verdict": "Canary verdict",
  "deployment.finished": "Operation finished",
  "deployment.auto_rollback": "Automatic rollback",
  "deployment.approval_needed": "Approval needed",
  "alarm.state_changed": "Alarm state changed",
  "drift.detected": "Drift detected",
  test: "Test event",
};

export interface NotificationEvent {
  /** Unique per event (the delivery's idempotency key too). */
  id: string;
  type: EventType;
  occurredAt: string;
  environment: { id: string; name: string };
  deployment?: { id: string; kind: string; status: string; fromVersion: string | null; toVersion: string | null; startedBy: string };
  /** A sentence a person can read in a chat. */
  summary: string;
  data?: Record<string, unknown>;
}

const EMOJI: Partial<Record<EventType, string>> = {
  "deployment.auto_rollback": ":rotating_light:",
  "deployment.approval_needed": ":raising_hand:",
  "alarm.state_changed": ":bell:",
  "drift.detected": ":warning:",
};

/** Slack incoming-webhook message JSON for an event. */
export function slackMessage(e: NotificationEvent, appUrl: string) {
  const link = `${appUrl.replace(/\/$/, "")}/environments/${encodeURIComponent(e.environment.name)}`;
  const text = `${EMOJI[e.type] ?? ":information_source:"} *${e.environment.name}*: ${e.summary}`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `${e.type} · ${e.occurredAt} · <${link}|open in Switchyard>` }],
      },
    ],
  };
}
