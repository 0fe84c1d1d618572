import { errorResponse, jsonBody, pathParam } from "./openapi-parts.ts";
import { z } from "zod";
import { defaultSpec, specSchema } from "../environments/spec.ts";
import { deployMetricsAndNotificationPaths } from "../notifications/openapi.ts";
import { adoptionAndPatchPaths } from "../adopt/openapi.ts";

/** An example spec that passes validation (a test checks it), used as the request example. */
export function exampleSpec() {
  return {
    ...defaultSpec("local", "us-east-1"),
    name: "shop-staging",
    app: { version: "v1.4.2", source: { kind: "ami" as const, amiId: "ami-0abc1234def567890" } },
  };
}

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          enum: [
            "UNAUTHENTICATED",
            "FORBIDDEN",
            "NOT_FOUND",
            "CONFLICT",
            "VALIDATION_FAILED",
            "PRECONDITION_FAILED",
            "RATE_LIMITED",
            "INTERNAL",
          ],
        },
        message: { type: "string" },
        fields: {
          type: "object",
          additionalProperties: { type: "array", items: { type: "string" } },
          description: "Field errors keyed by dotted path, e.g. capacity.min",
        },
        requestId: { type: "string" },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      errorResponse(
        {
          400: "Invalid input (see error.fields)",
          401: "Missing or invalid API token",
          403: "The token's role is too low",
          404: "No such environment",
          409: "Name taken or an operation in progress",
        }[c] ?? "Error",
      ),
    ]),
  );

/** The OpenAPI 3.1 document of REST API v1. */
export function openApiDocument(serverUrl: string) {
  const spec = z.toJSONSchema(specSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  const example = exampleSpec();
  const envResponse = {
    description: "The environment",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Environment" } } },
  };
  const nameParam = { name: "name", in: "path", required: true, schema: { type: "string" }, example: "shop-staging" };
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchyard API",
      version: "1.0.0",
      description:
        "Environments, provisioning, blue-green rollouts, rollback and live health for CI pipelines. Authenticate with `Authorization: Bearer <API token>` (admins create tokens in the UI). Errors are JSON with a code and, for invalid input, field details.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "A Switchyard API token" } },
      schemas: {
        EnvironmentSpec: spec,
        Environment: {
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            status: { type: "string" },
            specVersion: { type: "integer" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
            spec: { $ref: "#/components/schemas/EnvironmentSpec" },
          },
        },
        Error: errorSchema,
      },
    },
    paths: {
      "/api/v1/environments": {
        get: {
          operationId: "listEnvironments",
          summary: "List environments",
          parameters: [
            { name: "q", in: "query", schema: { type: "string" }, description: "Name contains" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
            { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
          ],
          responses: {
            "200": { description: "A page of environments", content: { "application/json": { schema: { type: "object" } } } },
            ...errors(401, 403),
          },
        },
        post: {
          operationId: "createEnvironment",
          summary: "Create an environment (spec version 1; admin)",
          requestBody: jsonBody({ schema: { $ref: "#/components/schemas/EnvironmentSpec" }, example }),
          responses: { "201": envResponse, ...errors(400, 401, 403, 409) },
        },
      },
      "/api/v1/environments/{name}": {
        parameters: [nameParam],
        get: {
          operationId: "getEnvironment",
          summary: "Get an environment and its current spec",
          responses: { "200": envResponse, ...errors(401, 403, 404) },
        },
        patch: {
          operationId: "updateEnvironment",
          summary: "Change the spec (JSON merge patch; stores a new version; admin)",
          requestBody: jsonBody({
            schema: { type: "object", description: "Any subset of EnvironmentSpec" },
            example: { app: { version: "v1.4.3" }, capacity: { min: 2, desired: 3, max: 8 } },
          }),
          responses: { "200": envResponse, ...errors(400, 401, 403, 404) },
        },
        delete: {
          operationId: "deleteEnvironment",
          summary: "Mark an environment deleted (admin)",
          responses: { "200": { description: "Deleted" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/environments/{name}/provision": {
        parameters: [nameParam],
        post: {
          operationId: "provisionEnvironment",
          summary: "Provision the whole stack (durable workflow; admin)",
          responses: { "202": { description: "The provisioning operation with its planned steps" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/teardown": {
        parameters: [nameParam],
        post: {
          operationId: "teardownEnvironment",
          summary: "Delete every AWS resource of the environment (admin)",
          responses: { "202": { description: "The teardown operation" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/deployments": {
        parameters: [nameParam],
        get: {
          operationId: "listDeployments",
          summary: "Deployment history",
          responses: { "200": { description: "Operations, newest first" }, ...errors(401, 403, 404) },
        },
        post: {
          operationId: "startRollout",
          summary: "Roll out a version blue-green (deployer); 409 while another operation runs",
          requestBody: jsonBody({
            schema: {
              type: "object",
              required: ["version"],
              properties: { version: { type: "string" }, strategy: { type: "string", enum: ["all-at-once", "canary"] } },
            },
            example: { version: "v1.4.3", strategy: "canary" },
          }),
          responses: { "202": { description: "The rollout with its planned steps" }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/deployments/{id}": {
        parameters: [nameParam, pathParam("id")],
        get: {
          operationId: "getDeployment",
          summary: "One operation with its live steps (state, timing, attempts, touched resources, verdicts)",
          responses: { "200": { description: "The operation" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/environments/{name}/deployments/{id}/approve": {
        parameters: [nameParam, pathParam("id")],
        post: {
          operationId: "approveDeployment",
          summary: "Approve a protected rollout (a deployer other than its starter)",
          responses: { "200": { description: "Approved" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/deployments/{id}/cancel": {
        parameters: [nameParam, pathParam("id")],
        post: {
          operationId: "cancelDeployment",
          summary: "Cancel a running rollout: it rolls back",
          responses: { "200": { description: "Cancelling" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/environments/{name}/rollback": {
        parameters: [nameParam],
        post: {
          operationId: "rollback",
          summary: "Roll back to the previous version (one listener change while the old fleet is warm)",
          responses: { "202": { description: "The rollback operation" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/drift": {
        parameters: [nameParam],
        get: {
          operationId: "checkDrift",
          summary: "Read the stack back from AWS and list what differs from the spec",
          responses: { "200": { description: "Drift rows" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/environments/{name}/live": {
        parameters: [nameParam],
        get: {
          operationId: "livePanel",
          summary: "State, running operation, history and traffic split in one read",
          responses: { "200": { description: "The live panel" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/environments/{name}/metrics": {
        parameters: [nameParam, { name: "range", in: "query", schema: { type: "string", enum: ["1h", "3h", "24h", "7d"] } }],
        get: {
          operationId: "environmentMetrics",
          summary: "Every chart's series from one GetMetricData call per refresh window, shared by all viewers",
          responses: { "200": { description: "Series, alarms, topology" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/environments/{name}/scaling": {
        parameters: [nameParam],
        get: {
          operationId: "scalingPanel",
          summary: "Both fleets' instances, scaling activities with causes, capacity and target",
          responses: { "200": { description: "The scaling panel" }, ...errors(401, 403, 404) },
        },
        patch: {
          operationId: "updateScaling",
          summary: "Change the live fleet's min/desired/max and target-tracking target (deployer)",
          requestBody: jsonBody({ schema: { type: "object" }, example: { min: 2, desired: 3, max: 8, target: 60 } }),
          responses: { "200": { description: "Applied" }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/drills": {
        parameters: [nameParam],
        post: {
          operationId: "runDrill",
          summary: "Failure drill: terminate a random instance of the live fleet, or fail the database over (deployer)",
          requestBody: jsonBody({
            schema: {
              type: "object",
              properties: { kind: { type: "string", enum: ["terminate-instance", "failover-database", "failover-cache"] } },
            },
            example: { kind: "terminate-instance" },
          }),
          responses: { "202": { description: "Started" }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/environments/{name}/versions": {
        parameters: [nameParam],
        get: {
          operationId: "listSpecVersions",
          summary: "Spec version history with field-by-field changes",
          responses: { "200": { description: "Versions, newest first" }, ...errors(401, 403, 404) },
        },
      },
      ...deployMetricsAndNotificationPaths(nameParam),
      ...adoptionAndPatchPaths(nameParam),
    },
  };
}
