/**
 * AWS-managed prefix lists (com.amazonaws.<region>.s3 / .dynamodb): the destinations of
 * gateway endpoint routes and of security group rules that allow "S3" without opening
 * 0.0.0.0/0. DescribePrefixLists lists them.
 */
import { createHash } from "node:crypto";
import type { RequestContext } from "../../core/types.ts";
import { notFound, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { pageOf } from "../../core/paging.ts";

/** Services with gateway endpoints, hence a managed prefix list. */
export const GATEWAY_SERVICES = ["s3", "dynamodb"] as const;

/** us-east-1's real ids, so copied snippets and docs match; other regions get stable derived ids. */
const KNOWN_IDS: Record<string, string> = {
  "us-east-1/s3": "pl-63a5400a",
  "us-east-1/dynamodb": "pl-02cd2c6b",
};

/** A few of each service's published ranges; the lists are informational here (routing uses the id). */
const CIDRS: Record<string, string[]> = {
  s3: ["3.5.0.0/19", "16.15.176.0/20", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"],
  dynamodb: ["3.218.180.0/22", "35.71.64.0/22", "52.94.0.0/22"],
};

export interface PrefixList {
  PrefixListId: string;
  PrefixListName: string;
  Cidrs: string[];
  region: string;
  service: string;
}

export function prefixListId(region: string, service: string): string {
  return KNOWN_IDS[`${region}/${service}`] ?? `pl-${createHash("sha256").update(`${region}/${service}`).digest("hex").slice(0, 8)}`;
}

export function managedPrefixLists(region: string): PrefixList[] {
  return GATEWAY_SERVICES.map((service) => ({
    PrefixListId: prefixListId(region, service),
    PrefixListName: `com.amazonaws.${region}.${service}`,
    Cidrs: CIDRS[service],
    region,
    service,
  }));
}

export function findPrefixList(region: string, id: string): PrefixList | undefined {
  return managedPrefixLists(region).find((list) => list.PrefixListId === id);
}

export function describePrefixLists(
  input: { PrefixListIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let lists = managedPrefixLists(ctx.region);
  const missing = (input.PrefixListIds ?? []).filter((id) => !lists.some((l) => l.PrefixListId === id));
  if (missing.length) throw notFound("InvalidPrefixListID.NotFound", "prefix list", missing);
  if (input.PrefixListIds?.length) lists = lists.filter((l) => input.PrefixListIds!.includes(l.PrefixListId));
  lists = applyFilters(lists, input.Filters, {
    "prefix-list-id": (l) => l.PrefixListId,
    "prefix-list-name": (l) => l.PrefixListName,
  });
  const { items: page, next: NextToken } = pageOf(lists, input.NextToken, input.MaxResults, ec2Pages("DescribePrefixLists"));
  return { PrefixLists: page.map(({ PrefixListId, PrefixListName, Cidrs }) => ({ PrefixListId, PrefixListName, Cidrs })), NextToken };
}
