/**
 * Amazon Linux 2023 releases published after the built-in one, the way AWS ships a new image
 * every few weeks: each adds an x86_64 image to DescribeImages (and RunInstances), and the public
 * SSM parameters (al2023-ami-kernel-default-x86_64...) follow the newest. Tests and demos of
 * "Patch OS" publish one through the admin API:
 *   POST /_localcloud/images {"release":"2023.6.20250115.0","creationDate"?:"<iso>"} -> 201 {"image":{...}}
 *   GET  /_localcloud/images -> {"releases":[{release, creationDate}]}
 * Kept in memory for the life of the process (a restart, like a reset, keeps only the built-in image).
 */
import { registerAdminRoutes } from "../../core/admin-api.ts";

export interface ImageRelease {
  release: string;
  creationDate: string;
}

const releases: ImageRelease[] = [];

export function publishedReleases(): readonly ImageRelease[] {
  return releases;
}

const RELEASE = /^2023\.\d+\.\d{8}\.\d+$/;

registerAdminRoutes((cloud, method, route, body) => {
  if (route !== "images") return undefined;
  if (method === "GET") return { status: 200, body: { releases } };
  if (method !== "POST") return undefined;
  let input: { release?: unknown; creationDate?: unknown };
  try {
    input = body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    return { status: 400, body: { error: "body is not valid JSON" } };
  }
  if (typeof input.release !== "string" || !RELEASE.test(input.release))
    return { status: 400, body: { error: 'expected {"release": "2023.6.YYYYMMDD.N"} (an Amazon Linux 2023 release)' } };
  const creationDate =
    typeof input.creationDate === "string" && !Number.isNaN(Date.parse(input.creationDate))
      ? new Date(input.creationDate).toISOString()
      : new Date(cloud.now()).toISOString();
  if (!releases.some((r) => r.release === input.release)) releases.push({ release: input.release, creationDate });
  return { status: 201, body: { release: input.release, creationDate } };
});
