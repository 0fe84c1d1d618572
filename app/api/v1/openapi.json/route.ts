import { openApiDocument } from "@/server/api/openapi.ts";
import { appUrl } from "@/server/env.ts";

export const dynamic = "force-dynamic";

/** Public: the API's shape is no secret, and tools fetch it before they hold a token. */
export function GET() {
  return Response.json(openApiDocument(appUrl));
}
