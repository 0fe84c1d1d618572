import { errorResponse, jsonBody, pathParam } from "../api/openapi-parts.ts";
import { EVENT_TYPES } from "./events.ts";

/** OpenAPI paths of deploy metrics and notification channels (spread into server/api/openapi.ts). */
const common = {
  "401": errorResponse("Missing or invalid API token"),
  "403": errorResponse("The token's role is too low"),
  "404": errorResponse("No such environment or channel"),
};
const idParam = pathParam("id");

const channelBody = {
  type: "object",
  required: ["kind", "name", "url"],
  properties: {
    kind: { type: "string", enum: ["webhook", "slack"] },
    name: { type: "string", maxLength: 60 },
    url: {
      type: "string",
      description: "http(s); public addresses only (loopback only on ports listed in SWITCHYARD_NOTIFY_LOCAL_PORTS)",
    },
    events: { type: "array", items: { type: "string", enum: [...EVENT_TYPES] }, description: "Empty or absent: every event" },
  },
};

export function deployMetricsAndNotificationPaths(nameParam: object) {
  return {
    "/api/v1/deploy-metrics": {
      get: {
        operationId: "getDeployMetrics",
        summary: "Deploy frequency, lead time (spec save to live), change failure rate, time to restore, and drills as game days",
        parameters: [
          { name: "days", in: "query", schema: { type: "integer", enum: [7, 30, 90], default: 30 } },
          { name: "environment", in: "query", schema: { type: "string" }, description: "One environment by name; absent: all" },
        ],
        responses: {
          "200": { description: "Overall, per environment and per day; incidents; game days" },
          "400": errorResponse("Invalid days"),
          ...common,
        },
      },
    },
    "/api/v1/environments/{name}/notifications": {
      parameters: [nameParam],
      get: {
        operationId: "listNotificationChannels",
        summary: "Notification channels with their delivery log (last deliveries, attempts, status codes)",
        responses: { "200": { description: "Channels" }, ...common },
      },
      post: {
        operationId: "createNotificationChannel",
        summary: "Add a webhook (HMAC-SHA256 signed) or Slack incoming webhook (admin); the signing secret is shown in this answer only",
        requestBody: jsonBody({
          schema: channelBody,
          example: { kind: "webhook", name: "ci", url: "https://hooks.example.com/switchyard" },
        }),
        responses: {
          "201": { description: "Created; `signingSecret` for webhooks" },
          "400": errorResponse("Invalid input or a forbidden URL"),
          ...common,
        },
      },
    },
    "/api/v1/environments/{name}/notifications/{id}": {
      parameters: [nameParam, idParam],
      patch: {
        operationId: "updateNotificationChannel",
        summary: "Rename, enable/disable, choose events, or rotate the signing secret (admin)",
        requestBody: jsonBody({
          schema: {
            type: "object",
            properties: {
              name: { type: "string" },
              enabled: { type: "boolean" },
              events: channelBody.properties.events,
              rotateSecret: { type: "boolean", enum: [true] },
            },
          },
          example: { enabled: false },
        }),
        responses: { "200": { description: "Updated; `signingSecret` when rotated" }, "400": errorResponse("Invalid input"), ...common },
      },
      delete: {
        operationId: "deleteNotificationChannel",
        summary: "Delete a channel; its undelivered events are dropped (admin)",
        responses: { "200": { description: "Deleted" }, ...common },
      },
    },
    "/api/v1/environments/{name}/notifications/{id}/test": {
      parameters: [nameParam, idParam],
      post: {
        operationId: "testNotificationChannel",
        summary: "Queue a test event for the channel (admin)",
        responses: { "202": { description: "Queued" }, "412": errorResponse("The channel is disabled"), ...common },
      },
    },
  };
}
