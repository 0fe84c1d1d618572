import { db } from "@/server/db/client.ts";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for the launcher and load balancers. */
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "degraded", database: "unreachable" }, { status: 503 });
  }
}
