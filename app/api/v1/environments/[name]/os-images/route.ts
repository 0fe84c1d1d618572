import { apiRoute } from "@/server/api/http.ts";
import { osImages } from "@/server/operations/os-images.ts";

export const dynamic = "force-dynamic";

/** The image each fleet runs, its age, and whether a newer Amazon Linux 2023 image exists. */
export const GET = apiRoute<{ name: string }>(async (_req, { actor, params }) => Response.json(await osImages({ actor, input: params })));
