/** Building blocks shared by the OpenAPI fragments (server/api, server/adopt, server/notifications). */

/** An error response: the description, with the shared Error schema as its JSON body. */
export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** A required JSON request body; `media` holds its schema and, optionally, an example. */
export const jsonBody = (media: { schema: object; example?: unknown }) => ({
  required: true,
  content: { "application/json": media },
});

/** A required string path parameter, e.g. `{id}`. */
export const pathParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
